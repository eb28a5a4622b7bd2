/**
 * The FC adapter: an FC 3.0 event and context in, what FC returns out. One code path for the HTTP trigger,
 * direct invocations and InvokeFunction calls wrapped as HTTP events. It decodes the event into a question
 * (./event.ts), asks the core (lib/query/answer.ts), encodes the outcome (./respond.ts), and writes the
 * invocation's one log line. Every expected failure is an envelope from the core or the decoder; anything else
 * is a bug: logged with its stack and cause (redacted), answered 500 UnexpectedError with no internals.
 */
import { usableCredentials } from '../shared/credentials';
import { type Outcome, statusOf } from '../shared/envelope';
import { configurationFailure, type Failure, failure } from '../shared/errors';
import type { FcContext, FcEvent } from '../shared/fc-types';
import { createLogger, type LogFields, type Logger, type LogSink } from '../shared/logger';
import { redactText } from '../shared/redact';
import { aboutQuestion, type AnswerData, answer, type Question } from '../query/answer';
import type { ConfigResult, FunctionConfig } from '../query/config';
import type { Budget, Clock } from '../query/budget';
import { createDyplsApi, type DyplsCall, type SubsIdCall } from '../query/upstream';
import { decodeInvocation } from './event';
import { type Answer, httpResult, respond } from './respond';

export type HandlerResult = Answer<AnswerData>;
export type Handler = (event: FcEvent, context: FcContext) => Promise<HandlerResult>;

export interface HandlerDeps {
  config: ConfigResult;
  /** QuerySubscriptionDetail; built from the config when absent. */
  call?: DyplsCall;
  /** QuerySubsId; built from the config when absent. */
  subsIdCall?: SubsIdCall;
  sink?: LogSink;
  /** The clock, sleep and jitter of every invocation (the deadline is each invocation's own). */
  clock?: Clock;
  /** The OpenAPI document served at `GET …/openapi.json`, serialised, or how to make it (on first use). */
  openapiDocument: string | (() => string);
}

/** Used when the context carries no function timeout (local runs): the s.yaml default. */
const DEFAULT_FUNCTION_TIMEOUT_S = 10;

const SYSTEM_CLOCK: Clock = {
  now: Date.now,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What one instance builds once and every invocation shares. */
interface Instance {
  log: Logger;
  clock: Clock;
  /** What the core needs, or why there is none: with an invalid configuration every invocation answers 500 naming the variables. */
  core: { ok: true; config: FunctionConfig; detail: DyplsCall; subsIds: SubsIdCall } | { ok: false; failure: Failure };
  openapi: () => string;
}

function instanceOf(deps: HandlerDeps): Instance {
  const log = createLogger({ level: deps.config.ok ? deps.config.config.logLevel : deps.config.logLevel, sink: deps.sink });
  let openapi = typeof deps.openapiDocument === 'string' ? deps.openapiDocument : undefined;
  const make = deps.openapiDocument;
  const instance = { log, clock: deps.clock ?? SYSTEM_CLOCK, openapi: () => (openapi ??= typeof make === 'string' ? make : make()) };
  if (!deps.config.ok) {
    // Logged once per instance; each invocation then answers 500 naming the variables (never their values).
    log.error('configuration invalid', { variables: deps.config.problems.map((p) => `${p.variable}: ${p.rule}`) });
    return { ...instance, core: { ok: false, failure: configurationFailure(deps.config.problems) } };
  }
  const { config } = deps.config;
  // The pop-core client (and its keep-alive agent) only when a test did not hand in both calls.
  const api = deps.call && deps.subsIdCall ? { detail: deps.call, subsIds: deps.subsIdCall } : createDyplsApi({ endpoint: config.endpoint });
  return { ...instance, core: { ok: true, config, detail: deps.call ?? api.detail, subsIds: deps.subsIdCall ?? api.subsIds } };
}

/** The deadline of every upstream attempt: the function's timeout, less a margin to encode and return the answer. */
function deadlineOf(context: FcContext, started: number): number {
  const timeoutS = Number(context?.function?.timeout);
  const budgetMs = (Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_FUNCTION_TIMEOUT_S) * 1000;
  return started + budgetMs - Math.max(500, Math.floor(budgetMs * 0.1));
}

async function answerQuestion(instance: Instance, q: Question, context: FcContext, started: number, log: Logger) {
  const { core } = instance;
  if (!core.ok) return { outcome: { ok: false, failure: core.failure } as const, summary: aboutQuestion(q) };
  const budget: Budget = { ...instance.clock, deadline: deadlineOf(context, started) };
  return answer(q, {
    config: core.config,
    detail: core.detail,
    subsIds: core.subsIds,
    credentials: usableCredentials(context?.credentials),
    budget,
    log,
    calls: { count: 0 },
  });
}

/** An error as a log line may carry it: class, message and stack frames, each redacted; a frame that holds a secret is dropped. */
function describeError(e: unknown, secrets: readonly (string | undefined)[]): LogFields {
  if (!(e instanceof Error)) return { name: typeof e };
  const frames = (e.stack ?? '').split('\n').slice(1, 12);
  const stack = frames.map((f) => redactText(f.trim(), secrets, 200)).filter((f): f is string => f !== undefined);
  return { name: e.name, message: redactText(e.message, secrets) ?? null, stack };
}

/** A bug: logged with its stack and cause, redacted (a message could quote input or a secret); never in the answer. */
function logBug(log: Logger, err: unknown, context: FcContext): void {
  const c = context?.credentials;
  const secrets = [c?.accessKeyId, c?.accessKeySecret, c?.securityToken];
  const error = describeError(err, secrets);
  const cause = err instanceof Error && err.cause !== undefined ? describeError(err.cause, secrets) : undefined;
  log.error('unexpected failure', {
    errorName: error.name,
    errorMessage: error.message,
    errorStack: error.stack,
    causeName: cause?.name,
    causeMessage: cause?.message,
    causeStack: cause?.stack,
  });
}

export function createHandler(deps: HandlerDeps): Handler {
  const instance = instanceOf(deps);
  return async function handler(event, context) {
    const started = instance.clock.now();
    const log = instance.log.child({ requestId: context?.requestId ?? null, fn: context?.function?.name ?? null });
    // Never throws, for any bytes (./event.ts): the kind is known before anything can fail.
    const { kind, method, route } = decodeInvocation(event);
    const line = (status: number, fields: LogFields) => log.info('invocation', { kind, method, status, ...fields, durationMs: instance.clock.now() - started });
    if (route.type === 'openapi') {
      line(200, { route: 'openapi' });
      return httpResult(200, instance.openapi());
    }
    let outcome: Outcome<AnswerData>;
    let summary: LogFields = {};
    try {
      if (route.type === 'error') outcome = { ok: false, failure: route.failure };
      else ({ outcome, summary } = await answerQuestion(instance, route, context, started, log));
    } catch (err) {
      logBug(log, err, context);
      outcome = { ok: false, failure: failure('UnexpectedError') };
      if (route.type !== 'error') summary = aboutQuestion(route);
    }
    const upstreamRequestId = outcome.ok ? outcome.requestId : (outcome.failure.upstream?.requestId ?? null);
    line(statusOf(outcome), { errorCode: outcome.ok ? null : outcome.failure.code, upstreamRequestId, ...summary });
    return respond(outcome, kind);
  };
}
