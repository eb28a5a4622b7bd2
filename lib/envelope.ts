/**
 * Outcome → the stable envelope, and the HTTP result an HTTP trigger returns. One place for the answer's shape
 * and headers.
 */
import type { QueryError } from './errors';
import type { FcHttpResult } from './fc-types';
import { ALLOWED_METHODS } from './request';
import type { BindingDetail, Envelope } from './schemas';

export type Outcome =
  | { ok: true; requestId: string | null; data: BindingDetail; attempts: number }
  | { ok: false; error: QueryError; attempts: number };

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } as const;

export function toEnvelope(outcome: Outcome): Envelope {
  if (outcome.ok) return { ok: true, requestId: outcome.requestId, data: outcome.data };
  const e = outcome.error;
  const upstream = e.extra.upstream;
  return {
    ok: false,
    requestId: upstream?.requestId ?? null,
    error: {
      code: e.code,
      message: e.message,
      messageZh: e.zh,
      retryable: e.retryable,
      ...(e.extra.issues ? { issues: e.extra.issues } : {}),
      ...(upstream?.message !== undefined ? { upstreamMessage: upstream.message } : {}),
    },
  };
}

export function toHttpResult(status: number, envelope: Envelope, error: QueryError | undefined): FcHttpResult {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (status === 405) headers.Allow = error?.extra.allow ?? ALLOWED_METHODS;
  if (error?.extra.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.extra.retryAfterSeconds);
  return { statusCode: status, headers, body: JSON.stringify(envelope), isBase64Encoded: false };
}
