/**
 * An outcome → what the handler returns: the HTTP result for an HTTP-trigger event, the bare envelope for a
 * direct invocation. Status and headers derive from the outcome here and nowhere else.
 */
import { envelopeOf, type Outcome, statusOf } from '../shared/envelope';
import type { FcHttpResult } from '../shared/fc-types';
import type { Envelope } from '../shared/schemas';

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } as const;

export type Answer<T> = FcHttpResult | Envelope<T>;

export function respond<T>(outcome: Outcome<T>, kind: 'http' | 'direct'): Answer<T> {
  const envelope = envelopeOf(outcome);
  if (kind === 'direct') return envelope;
  return httpResult(statusOf(outcome), JSON.stringify(envelope), outcome.ok ? undefined : outcome.failure.headers);
}

export function httpResult(status: number, body: string, extraHeaders?: Readonly<Record<string, string>>): FcHttpResult {
  return { statusCode: status, headers: extraHeaders ? { ...JSON_HEADERS, ...extraHeaders } : { ...JSON_HEADERS }, body, isBase64Encoded: false };
}
