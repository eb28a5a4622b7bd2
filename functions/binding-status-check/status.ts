/**
 * The example caller's answer to "is this binding still active, and until when?", from the query function's
 * envelope, and its handler. It uses the caller library exactly as another team's function would.
 */
import type { BindingDetailClient, Envelope, ErrorEnvelope, FcContext, FcEvent, QueryRequestInput } from '../../lib/caller';
import type { Logger } from '../../lib/shared/logger';

export type BindingStatusAnswer =
  | {
      ok: true;
      /** In effect now: upstream says ACTIVE and the expiry, when known, is still ahead. */
      active: boolean;
      status: 'ACTIVE' | 'INACTIVE' | 'UNKNOWN';
      expireDate: string | null;
      /** Seconds until expiry (negative once past), or null when the expiry is unknown. */
      expiresInSeconds: number | null;
      requestId: string | null;
    }
  | ErrorEnvelope;

/** Pure: the clock is a parameter. */
export function bindingStatus(answer: Envelope, nowMs: number): BindingStatusAnswer {
  if (!answer.ok) return answer;
  const { status, expireDate } = answer.data;
  const expiresAt = expireDate === null ? null : Date.parse(expireDate);
  const expiresInSeconds = expiresAt === null || Number.isNaN(expiresAt) ? null : Math.floor((expiresAt - nowMs) / 1000);
  return {
    ok: true,
    active: status === 'ACTIVE' && (expiresInSeconds === null || expiresInSeconds > 0),
    status,
    expireDate,
    expiresInSeconds,
    requestId: answer.requestId,
  };
}

export interface StatusCheckDeps {
  /** The caller library's client for the query function, built once per instance (from the first context: its account and region). */
  clientFor: (context: FcContext) => Pick<BindingDetailClient, 'query'>;
  logger: Logger;
  now?: () => number;
}

/**
 * The example caller's handler, built from what it depends on (as the query function's is), so that it can be
 * tested without its bundle. Event: `{"poolKey":"FC…","subsId":"…","phoneNoX":"…"}` (a direct invocation).
 */
export function createStatusCheckHandler(deps: StatusCheckDeps): (event: FcEvent, context: FcContext) => Promise<BindingStatusAnswer> {
  const now = deps.now ?? Date.now;
  return async (event, context) => {
    const started = now();
    // The client validates the request at run time (an InvalidRequest envelope for anything else), so the
    // parsed payload is handed over as it came.
    const payload = parsePayload(event) as QueryRequestInput;
    const result = bindingStatus(await deps.clientFor(context).query(payload, context.credentials), now());
    deps.logger.info('invocation', {
      requestId: context.requestId,
      fn: context.function?.name ?? null,
      ok: result.ok,
      active: result.ok ? result.active : null,
      errorCode: result.ok ? null : result.error.code,
      upstreamRequestId: result.requestId,
      durationMs: now() - started,
    });
    return result;
  };
}

function parsePayload(event: FcEvent): unknown {
  try {
    return JSON.parse(Buffer.isBuffer(event) ? event.toString('utf8') : String(event)) as unknown;
  } catch {
    return undefined;
  }
}
