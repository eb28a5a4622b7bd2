/**
 * The handler, built from its dependencies: decode → check → call upstream → encode. One code path for the
 * HTTP trigger, direct invocations and InvokeFunction calls wrapped as HTTP events. Every expected failure
 * becomes an envelope; an unexpected one becomes 500 UnexpectedError with no internals in the body.
 */
import { usableCredentials } from '../shared/credentials';
import { type Outcome, statusOf } from '../shared/envelope';
import { configurationFailure, failure } from '../shared/errors';
import type { FcContext, FcEvent } from '../shared/fc-types';
import { createLogger, type LogFields, type Logger, type LogSink } from '../shared/logger';
import { maskPhone } from '../shared/redact';
import type { BindingDetail, QueryRequest } from '../shared/schemas';
import type { ConfigResult, FunctionConfig } from './config';
import { loggableMethod, recognise, routeOf } from './event';
import { normalizeBindingDetail } from './normalize';
import { type Answer, httpResult, respond } from './respond';
import { withRetries } from './retry';
import { createDyplsCall, describeReason, type DyplsCall } from './upstream';

export type HandlerResult = Answer<BindingDetail>;
export type Handler = (event: FcEvent, context: FcContext) => Promise<HandlerResult>;

export interface HandlerDeps {
  config: ConfigResult;
  /** Upstream call; built from the config when absent. */
  call?: DyplsCall;
  sink?: LogSink;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The OpenAPI document served at `GET …/openapi.json`, pre-serialised. */
  openapiDocument: string;
}

/** Used when the context carries no function timeout (local runs): the s.yaml default. */
const DEFAULT_FUNCTION_TIMEOUT_S = 10;

/** Time kept back from the function's timeout to encode and return the answer. */
function answerMargin(budgetMs: number): number {
  return Math.max(500, Math.floor(budgetMs * 0.1));
}

export function createHandler(deps: HandlerDeps): Handler {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const level = deps.config.ok ? deps.config.config.logLevel : deps.config.logLevel;
  const rootLogger = createLogger({ level, sink: deps.sink });
  const call = deps.config.ok ? (deps.call ?? createDyplsCall({ endpoint: deps.config.config.endpoint })) : undefined;

  if (!deps.config.ok) {
    // Logged once per instance; each invocation then answers 500 naming the variables (never their values).
    rootLogger.error('configuration invalid', { variables: deps.config.problems.map((p) => `${p.variable}: ${p.rule}`) });
  }

  /** The lookup itself; `summary` collects what the invocation's log line reports about it. */
  async function query(request: QueryRequest, context: FcContext, started: number, log: Logger, summary: LogFields): Promise<Outcome<BindingDetail>> {
    if (!deps.config.ok || !call) return { ok: false, failure: configurationFailure(deps.config.ok ? [] : deps.config.problems) };
    const config: FunctionConfig = deps.config.config;
    const pool = request.poolKey ?? request.productType;
    if (config.allowedPoolKeys && (pool === undefined || !config.allowedPoolKeys.has(pool))) return { ok: false, failure: failure('PoolKeyNotAllowed') };
    const credentials = usableCredentials(context?.credentials);
    if (!credentials) return { ok: false, failure: failure('CredentialsUnavailable') };

    const timeoutS = Number(context.function?.timeout);
    const budgetMs = (Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_FUNCTION_TIMEOUT_S) * 1000;
    const result = await withRetries((timeoutMs) => call(request, credentials, timeoutMs), {
      maxAttempts: config.maxAttempts,
      timeoutMs: config.timeoutMs,
      deadline: started + budgetMs - answerMargin(budgetMs),
      now,
      sleep,
      random,
      logger: log,
    });
    summary.attempts = result.attempts;
    if (!result.ok) {
      log.debug('upstream call failed', { reason: describeReason(result.reason), attempts: result.attempts, errorCode: result.failure.code });
      return { ok: false, failure: result.failure };
    }
    const { data, warnings } = normalizeBindingDetail(result.dto);
    for (const w of warnings) log.warn('unreadable upstream field', { field: w.field, reason: w.reason, upstreamRequestId: result.requestId });
    return { ok: true, requestId: result.requestId, data: config.phoneNumberOutput === 'masked' ? withMaskedParties(data) : data };
  }

  return async function handler(event, context) {
    const started = now();
    const log = rootLogger.child({ requestId: context?.requestId ?? null, fn: context?.function?.name ?? null });
    // Known as soon as the event is recognised, so that whatever fails afterwards an HTTP caller still gets an HTTP result.
    let kind: 'http' | 'direct' | undefined;
    let method: string | undefined;
    let outcome: Outcome<BindingDetail>;
    const summary: LogFields = {};
    try {
      const recognised = recognise(event);
      kind = recognised.kind;
      if (recognised.kind === 'http') method = loggableMethod(recognised.method);
      const route = routeOf(recognised);
      if (route.type === 'openapi') {
        log.info('invocation', { kind, method, status: 200, route: 'openapi', durationMs: now() - started });
        return httpResult(200, deps.openapiDocument);
      }
      if (route.type === 'query') {
        const r = route.request;
        Object.assign(summary, { subsId: r.subsId, phoneNoX: maskPhone(r.phoneNoX), pool: r.poolKey ?? r.productType });
        outcome = await query(r, context, started, log, summary);
      } else {
        outcome = { ok: false, failure: route.failure };
      }
    } catch (err) {
      // A bug: log its class only (a message could quote input), answer without internals.
      log.error('unexpected failure', { errorName: err instanceof Error ? err.name : typeof err });
      outcome = { ok: false, failure: failure('UnexpectedError') };
      kind ??= looksLikeHttpEvent(event) ? 'http' : 'direct';
    }

    const answer = respond(outcome, kind);
    log.info('invocation', {
      kind,
      method,
      status: statusOf(outcome),
      errorCode: outcome.ok ? null : outcome.failure.code,
      upstreamRequestId: outcome.ok ? outcome.requestId : (outcome.failure.upstream?.requestId ?? null),
      durationMs: now() - started,
      ...summary,
    });
    return answer;
  };
}

/** A and B masked; X stays whole: it is the public masked number the caller asked about. */
function withMaskedParties(data: BindingDetail): BindingDetail {
  return { ...data, phoneNoA: maskPhone(data.phoneNoA), phoneNoB: maskPhone(data.phoneNoB) };
}

/** Last resort when even recognising the event failed: does it carry the marks of a v1 HTTP event? */
function looksLikeHttpEvent(event: unknown): boolean {
  try {
    const text = Buffer.isBuffer(event) ? event.toString('latin1', 0, 65_536) : typeof event === 'string' ? event.slice(0, 65_536) : '';
    return /"version"\s*:\s*"v1"/.test(text) && text.includes('"requestContext"');
  } catch {
    return false;
  }
}
