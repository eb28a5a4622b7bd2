/**
 * RequestIds that come from outside reach envelopes and logs only when they look like one: hex groups joined by
 * hyphens, at least one hex letter among them. Dyplsapi's are UUIDs (`066E6E47-04CB-…`, sometimes truncated:
 * `8906582E-6722`); Function Compute's read `1-65e571bc-158a59e8-b63f98cd471c`. A phone number written with
 * hyphens has no letter, and a bare digit string no hyphen.
 */
const REQUEST_ID = /^[0-9A-Fa-f]{1,32}(?:-[0-9A-Fa-f]{1,32}){1,7}$/;

export function requestIdOf(v: unknown): string | null {
  return typeof v === 'string' && v.length <= 64 && REQUEST_ID.test(v) && /[A-Fa-f]/.test(v) ? v : null;
}
