/**
 * The handler, built from its dependencies: decode → check → look up → encode. One code path for the HTTP
 * trigger, direct invocations and InvokeFunction calls wrapped as HTTP events; three kinds of question (one
 * binding by SubsId, every binding of X, a batch of lookups). Every expected failure becomes an envelope; an
 * unexpected one becomes 500 UnexpectedError with no internals in the body.
 */
import { usableCredentials } from '../shared/credentials';
import { type Outcome, statusOf } from '../shared/envelope';
import { configurationFailure, failure } from '../shared/errors';
import type { FcContext, FcEvent } from '../shared/fc-types';
import { createLogger, type LogFields, type LogSink } from '../shared/logger';
import { maskPhone } from '../shared/redact';
import type { BatchData, BindingDetail, FindData } from '../shared/schemas';
import { batch, type BatchSummary } from './batch';
import type { ConfigResult } from './config';
import { loggableMethod, recognise, type Route, routeOf } from './event';
import { find, type FindSummary } from './find';
import { lookup, type LookupContext } from './lookup';
import { type Answer, httpResult, respond } from './respond';
import { createDyplsApi, type DyplsCall, type SubsIdCall } from './upstream';

export type HandlerResult = Answer<BindingDetail | FindData | BatchData>;
export type Handler = (event: FcEvent, context: FcContext) => Promise<HandlerResult>;

export interface HandlerDeps {
  config: ConfigResult;
  /** QuerySubscriptionDetail; built from the config when absent. */
  call?: DyplsCall;
  /** QuerySubsId; built from the config when absent. */
  subsIdCall?: SubsIdCall;
  sink?: LogSink;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The OpenAPI document served at `GET …/openapi.json`, serialised, or how to make it (on first use). */
  openapiDocument: string | (() => string);
}

/** Used when the context carries no function timeout (local runs): the s.yaml default. */
const DEFAULT_FUNCTION_TIMEOUT_S = 10;

/** Time kept back from the function's timeout to encode and return the answer. */
function answerMargin(budgetMs: number): number {
  return Math.max(500, Math.floor(budgetMs * 0.1));
}

type Question = Exclude<Route, { type: 'openapi' } | { type: 'error' }>;

export function createHandler(deps: HandlerDeps): Handler {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const level = deps.config.ok ? deps.config.config.logLevel : deps.config.logLevel;
  const rootLogger = createLogger({ level, sink: deps.sink });
  const api = deps.config.ok && (!deps.call || !deps.subsIdCall) ? createDyplsApi({ endpoint: deps.config.config.endpoint }) : undefined;
  const call = deps.call ?? api?.detail;
  const subsIdCall = deps.subsIdCall ?? api?.subsIds;
  const allowedPools = deps.config.ok ? deps.config.config.allowedPoolKeys : undefined;
  const allowed = (r: { poolKey?: string | undefined; productType?: string | undefined }) => {
    const pool = r.poolKey ?? r.productType;
    return !allowedPools || (pool !== undefined && allowedPools.has(pool));
  };
  let openapi = typeof deps.openapiDocument === 'string' ? deps.openapiDocument : undefined;
  const openapiText = () => (openapi ??= (deps.openapiDocument as () => string)());

  if (!deps.config.ok) {
    // Logged once per instance; each invocation then answers 500 naming the variables (never their values).
    rootLogger.error('configuration invalid', { variables: deps.config.problems.map((p) => `${p.variable}: ${p.rule}`) });
  }

  /** Answers one question; `summary` collects what the invocation's log line reports about it. */
  async function answer(
    q: Question,
    context: FcContext,
    started: number,
    log: ReturnType<typeof rootLogger.child>,
    summary: LogFields,
  ): Promise<Outcome<unknown>> {
    if (!deps.config.ok || !call || !subsIdCall) return { ok: false, failure: configurationFailure(deps.config.ok ? [] : deps.config.problems) };
    const config = deps.config.config;
    // Nothing rejected here reaches Dyplsapi: the pool allowlist first (a batch judges it per item), then credentials.
    if (q.type !== 'batch' && !allowed(q.request)) return { ok: false, failure: failure('PoolKeyNotAllowed') };
    const credentials = usableCredentials(context?.credentials);
    if (!credentials) return { ok: false, failure: failure('CredentialsUnavailable') };

    const timeoutS = Number(context.function?.timeout);
    const budgetMs = (Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_FUNCTION_TIMEOUT_S) * 1000;
    const ctx: LookupContext = {
      config,
      call,
      credentials,
      deadline: started + budgetMs - answerMargin(budgetMs),
      now,
      sleep,
      random,
      log,
      calls: { count: 0 },
    };
    try {
      if (q.type === 'query') {
        const r = await lookup(q.request, ctx);
        summary.attempts = r.attempts;
        return r.outcome;
      }
      if (q.type === 'find') {
        const s: FindSummary = { listed: 0, found: 0, unresolved: 0, detailRequestIds: [] };
        const outcome = await find(q.request, ctx, subsIdCall, s);
        Object.assign(summary, s);
        return outcome;
      }
      const s: BatchSummary = { items: 0, unique: 0, byStatus: {}, pauses: 0, throttled: 0 };
      const outcome = await batch(q.items, ctx, allowed, s);
      const byStatus = Object.entries(s.byStatus).map(([status, n]) => `${status}:${n}`);
      Object.assign(summary, { items: s.items, unique: s.unique, byStatus, throttled: s.throttled, pauses: s.pauses });
      return outcome;
    } finally {
      // A single lookup's log line reports its attempts; a find or a batch reports every call it made.
      if (q.type !== 'query') summary.upstreamCalls = ctx.calls.count;
    }
  }

  return async function handler(event, context) {
    const started = now();
    const log = rootLogger.child({ requestId: context?.requestId ?? null, fn: context?.function?.name ?? null });
    // Known as soon as the event is recognised, so that whatever fails afterwards an HTTP caller still gets an HTTP result.
    let kind: 'http' | 'direct' | undefined;
    let method: string | undefined;
    let outcome: Outcome<unknown>;
    const summary: LogFields = {};
    try {
      const recognised = recognise(event);
      kind = recognised.kind;
      if (recognised.kind === 'http') method = loggableMethod(recognised.method);
      const route = routeOf(recognised);
      if (route.type === 'openapi') {
        log.info('invocation', { kind, method, status: 200, route: 'openapi', durationMs: now() - started });
        return httpResult(200, openapiText());
      }
      if (route.type === 'error') {
        outcome = { ok: false, failure: route.failure };
      } else {
        if (route.type === 'batch') summary.question = 'batch';
        else {
          if (route.type === 'find') summary.question = 'find';
          else summary.subsId = route.request.subsId;
          summary.phoneNoX = maskPhone(route.request.phoneNoX);
          summary.pool = route.request.poolKey ?? route.request.productType;
        }
        outcome = await answer(route, context, started, log, summary);
      }
    } catch (err) {
      // A bug: log its class only (a message could quote input), answer without internals.
      log.error('unexpected failure', { errorName: err instanceof Error ? err.name : typeof err });
      outcome = { ok: false, failure: failure('UnexpectedError') };
      kind ??= looksLikeHttpEvent(event) ? 'http' : 'direct';
    }

    const result = respond(outcome, kind) as HandlerResult;
    log.info('invocation', {
      kind,
      method,
      status: statusOf(outcome),
      errorCode: outcome.ok ? null : outcome.failure.code,
      upstreamRequestId: outcome.ok ? outcome.requestId : (outcome.failure.upstream?.requestId ?? null),
      durationMs: now() - started,
      ...summary,
    });
    return result;
  };
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
