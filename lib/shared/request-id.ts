/**
 * RequestIds that come from outside (Dyplsapi's UUID-like ids, sometimes truncated; Function Compute's `1-…` ids)
 * reach envelopes and logs only when they look like one.
 */
export function requestIdOf(v: unknown): string | null {
  return typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v) ? v : null;
}
