/**
 * What may be shown of personal data and upstream text: phone numbers masked, credential-bearing messages dropped.
 * Used by the query function and the caller library alike.
 */

/**
 * Keeps at most the first 3 and last 4 digits of a phone number: `17000000000` → `170****0000`.
 * Short numbers keep less, so that never more than half of the digits show.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return '****';
}

/** Masks every run of 7 or more digits in free text (upstream messages can quote numbers). */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{7,}/g, (run) => maskPhone(run) ?? '****');
}

/**
 * Dyplsapi's Message when it can be shown: never one that quotes the string-to-sign or any credential,
 * with digit runs (phone numbers) masked, and bounded in length.
 */
export function safeUpstreamMessage(
  message: unknown,
  credentials: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string },
): string | undefined {
  if (typeof message !== 'string' || message === '') return undefined;
  const lower = message.toLowerCase();
  if (lower.includes('string to sign') || lower.includes('stringtosign')) return undefined;
  for (const secret of [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken]) {
    if (secret && message.includes(secret)) return undefined;
  }
  const bounded = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  return maskDigitRuns(bounded);
}
