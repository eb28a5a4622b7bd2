/**
 * An outcome and the stable envelope it answers: the one place that shapes `{ok, requestId, data | error}`.
 * The query function and the caller library both answer through it.
 */
import type { Failure } from './errors';
import type { Envelope } from './schemas';

export type Outcome<T> = { ok: true; requestId: string | null; data: T } | { ok: false; failure: Failure };

export function envelopeOf<T>(outcome: Outcome<T>): Envelope<T> {
  if (outcome.ok) return { ok: true, requestId: outcome.requestId, data: outcome.data };
  const f = outcome.failure;
  const upstreamMessage = f.expose ? f.upstream?.message : undefined;
  return {
    ok: false,
    requestId: f.upstream?.requestId ?? null,
    error: {
      code: f.code,
      message: f.message,
      messageZh: f.messageZh,
      retryable: f.retryable,
      ...(f.issues ? { issues: [...f.issues] } : {}),
      ...(upstreamMessage !== undefined ? { upstreamMessage } : {}),
    },
  };
}

/** The HTTP status an outcome answers with. */
export function statusOf(outcome: Outcome<unknown>): number {
  return outcome.ok ? 200 : outcome.failure.status;
}

/** The failure as an envelope, for callers that have nothing else to say. */
export function failureEnvelope(f: Failure): Envelope<never> {
  return envelopeOf<never>({ ok: false, failure: f });
}
