/**
 * The example caller's answer to "is this binding still active, and until when?", from the query function's
 * envelope. Pure: the clock is a parameter.
 */
import type { Envelope, ErrorEnvelope } from '../../lib/caller';

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
