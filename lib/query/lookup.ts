/**
 * One binding's detail: QuerySubscriptionDetail with its retries inside the invocation's deadline, normalized,
 * A and B masked when the deployment asks for it. The single lookup, every detail of a find and every item of
 * a batch go through here.
 */
import { maskPhone } from '../shared/redact';
import type { BindingDetail, QueryRequest } from '../shared/schemas';
import { type Answered, type Invocation, retried } from './invocation';
import { normalizeBindingDetail } from './normalize';
import type { RetryOptions } from './retry';

export interface Looked extends Answered<BindingDetail> {
  /** Attempts made: 0 when none could start before the deadline. */
  summary: { attempts: number };
  /** The detail before masking, for a find's A/B filter; undefined on failure. */
  unmasked: BindingDetail | undefined;
}

/** A and B masked; X stays whole: it is the public masked number the caller asked about. */
function withMaskedParties(data: BindingDetail): BindingDetail {
  return { ...data, phoneNoA: maskPhone(data.phoneNoA), phoneNoB: maskPhone(data.phoneNoB) };
}

export async function lookup(request: QueryRequest, inv: Invocation, options: RetryOptions = {}): Promise<Looked> {
  const result = await retried(inv, (timeoutMs) => inv.detail(request, inv.credentials, timeoutMs), options);
  const summary = { attempts: result.attempts };
  if (!result.ok) return { outcome: { ok: false, failure: result.failure }, unmasked: undefined, summary };
  const { data, warnings } = normalizeBindingDetail(result.value);
  for (const w of warnings) inv.log.warn('unreadable upstream field', { field: w.field, reason: w.reason, upstreamRequestId: result.requestId });
  const shown = inv.config.phoneNumberOutput === 'masked' ? withMaskedParties(data) : data;
  return { outcome: { ok: true, requestId: result.requestId, data: shown }, unmasked: data, summary };
}
