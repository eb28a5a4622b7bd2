/**
 * The handler, built from its dependencies: decode → check → call upstream → encode. One code path for the
 * HTTP trigger, direct invocations and InvokeFunction calls wrapped as HTTP events. Every expected failure
 * becomes an envelope; an unexpected one becomes 500 UnexpectedError with no internals in the body.
 */
import type { ConfigResult, FunctionConfig } from './config';
import { credentialsFrom } from './credentials';
import { JSON_HEADERS, type Outcome, toEnvelope, toHttpResult } from './envelope';
import { configurationError, localError } from './errors';
import type { FcContext, FcEvent, FcHttpResult } from './fc-types';
import { createLogger, type LogFields, type Logger, type LogSink } from './logger';
import { normalizeBindingDetail } from './normalize';
import { maskPhone } from './redact';
import { type DecodedInvocation, decodeInvocation } from './request';
import { withRetries } from './retry';
import type { Envelope, QueryRequest } from './schemas';
import { createDyplsCall, type DyplsCall } from './upstream';

export type HandlerResult = FcHttpResult | Envelope;
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

  async function query(request: QueryRequest, context: FcContext, started: number, log: Logger): Promise<Outcome> {
    if (!deps.config.ok || !call) {
      return { ok: false, attempts: 0, error: configurationError(deps.config.ok ? [] : deps.config.problems) };
    }
    const config: FunctionConfig = deps.config.config;
    const pool = request.poolKey ?? request.productType;
    if (config.allowedPoolKeys && !config.allowedPoolKeys.has(pool)) {
      return { ok: false, attempts: 0, error: localError('PoolKeyNotAllowed') };
    }
    const credentials = credentialsFrom(context);
    if (!credentials) return { ok: false, attempts: 0, error: localError('CredentialsUnavailable') };

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
    if (!result.ok) {
      log.debug('upstream call failed', { cause: result.cause, attempts: result.attempts, errorCode: result.error.code });
      return { ok: false, error: result.error, attempts: result.attempts };
    }
    const { data, warnings } = normalizeBindingDetail(result.dto);
    for (const w of warnings) log.warn('unreadable upstream field', { field: w.field, reason: w.reason, upstreamRequestId: result.requestId });
    return { ok: true, requestId: result.requestId, data, attempts: result.attempts };
  }

  return async function handler(event, context) {
    const started = now();
    const log = rootLogger.child({ requestId: context?.requestId ?? null, fn: context?.function?.name ?? null });
    let decoded: DecodedInvocation | undefined;
    let outcome: Outcome;
    let summary: LogFields = {};
    try {
      decoded = decodeInvocation(event);
      const route = decoded.route;
      if (route.type === 'openapi') {
        log.info('invocation', { kind: decoded.kind, method: decoded.method, status: 200, route: 'openapi', durationMs: now() - started });
        return { statusCode: 200, headers: { ...JSON_HEADERS }, body: deps.openapiDocument, isBase64Encoded: false };
      }
      if (route.type === 'query') {
        const r = route.request;
        summary = { subsId: r.subsId, phoneNoX: maskPhone(r.phoneNoX), pool: r.poolKey ?? r.productType };
        outcome = await query(r, context, started, log);
      } else {
        outcome = { ok: false, attempts: 0, error: route.error };
      }
    } catch (err) {
      // A bug: log its class only (a message could quote input), answer without internals.
      log.error('unexpected failure', { errorName: err instanceof Error ? err.name : typeof err });
      outcome = { ok: false, attempts: 0, error: localError('UnexpectedError') };
    }

    const envelope = toEnvelope(outcome);
    const status = outcome.ok ? 200 : outcome.error.status;
    log.info('invocation', {
      kind: decoded?.kind ?? 'unknown',
      method: decoded?.method,
      status,
      errorCode: outcome.ok ? null : outcome.error.code,
      upstreamRequestId: envelope.requestId,
      attempts: outcome.attempts,
      durationMs: now() - started,
      ...summary,
    });
    if (decoded?.kind !== 'http') return envelope;
    return toHttpResult(status, envelope, outcome.ok ? undefined : outcome.error);
  };
}

