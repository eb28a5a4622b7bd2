/**
 * The core: a question (one binding by SubsId, every binding of X, a batch of lookups) and one invocation's
 * dependencies in, an outcome and what the log line reports about it out. Knows nothing of FC events or HTTP:
 * the FC adapter (lib/fc) decodes the event into a question and encodes the outcome into an answer.
 */
import type { Credentials } from '../shared/credentials';
import { type Failure, failure } from '../shared/errors';
import type { LogFields } from '../shared/logger';
import { maskPhone } from '../shared/redact';
import type { BatchItem } from '../shared/request';
import type { BatchData, BindingDetail, FindData, FindRequest, QueryRequest } from '../shared/schemas';
import { batch } from './batch';
import { find } from './find';
import { type Answered, type Invocation, poolAllowed } from './invocation';
import { lookup } from './lookup';

export type Question =
  | { type: 'query'; request: QueryRequest }
  | { type: 'find'; request: FindRequest }
  | { type: 'batch'; items: BatchItem[]; maxRps?: number | undefined };

export type AnswerData = BindingDetail | FindData | BatchData;

/** What the log line says about the question itself, known before it is answered (and logged even if answering fails). */
export function aboutQuestion(q: Question): LogFields {
  if (q.type === 'batch') return { question: 'batch' };
  const pool = q.request.poolKey ?? q.request.productType;
  const phoneNoX = maskPhone(q.request.phoneNoX);
  return q.type === 'find' ? { question: 'find', phoneNoX, pool } : { subsId: q.request.subsId, phoneNoX, pool };
}

/** An invocation as the adapter knows it: the credentials are whatever the context carried, maybe none. */
export type InvocationInput = Omit<Invocation, 'credentials'> & { readonly credentials: Credentials | undefined };

/**
 * Answers one question. Nothing rejected here reaches Dyplsapi: the pool allowlist first (a batch judges it per
 * item), then the credentials.
 */
export async function answer(q: Question, input: InvocationInput): Promise<Answered<AnswerData>> {
  const about = aboutQuestion(q);
  const refuse = (f: Failure) => ({ outcome: { ok: false, failure: f } as const, summary: about });
  if (q.type !== 'batch' && !poolAllowed(input.config, q.request)) return refuse(failure('PoolKeyNotAllowed'));
  const { credentials } = input;
  if (!credentials) return refuse(failure('CredentialsUnavailable'));
  const inv: Invocation = { ...input, credentials };
  const answered: Answered<AnswerData> =
    q.type === 'query' ? await lookup(q.request, inv) : q.type === 'find' ? await find(q.request, inv) : await batch(q.items, inv, q.maxRps);
  // A single lookup's log line reports its attempts; a find or a batch reports every call it made.
  const calls = q.type === 'query' ? {} : { upstreamCalls: inv.calls.count };
  return { outcome: answered.outcome, summary: { ...about, ...answered.summary, ...calls } };
}
