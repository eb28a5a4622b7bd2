/**
 * What may be shown of personal data and of text that came from outside (Dyplsapi's messages, Function
 * Compute's): phone numbers masked in any common notation, control characters stripped, anything that holds a
 * credential dropped whole, and a bounded length. Used by the query function and the caller library alike.
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

const digitValues = new Map<number, string>();

/**
 * The ASCII digit of a decimal digit of any script (Thai ๑, Arabic-Indic ١, full-width １, mathematical 𝟏). Unicode
 * encodes each script's digits as a contiguous run from 0 to 9, runs sometimes back to back, so the value is the
 * distance from the start of the run, modulo 10.
 */
function asciiDigit(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  let value = digitValues.get(cp);
  if (value === undefined) {
    let start = cp;
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    value = String((cp - start) % 10);
    digitValues.set(cp, value);
  }
  return value;
}

/** Digits of every script → ASCII, and the full-width plus and hyphen of Chinese keyboards, so all are seen as digits. */
function normalisedDigits(text: string): string {
  // ASCII digits are left out of the pattern: they are most of any message, and already what the masking reads.
  return text.replace(/(?![0-9])\p{Nd}|[\uff0b\uff0d]/gu, (c) => (c === '\uff0b' ? '+' : c === '\uff0d' ? '-' : asciiDigit(c)));
}

/**
 * 7 or more digits, optionally after `+`, with up to three separators between any two: spaces of any kind, the
 * hyphen and the U+2010–U+2015 dashes, `/`, `_` and `.`: `150-0000-0000`, `+86 150 0000 0001`, `150 – 0000 – 0123`.
 */
const PHONE_LIKE = /\+?\d(?:[\s\u2010-\u2015\-/_.]{0,3}\d){6,}/g;

/** Masks every phone-like run of digits in free text. */
export function maskPhoneNumbers(text: string): string {
  return normalisedDigits(text).replace(PHONE_LIKE, (run) => maskPhone(run) ?? '****');
}

/** C0 and C1 controls, zero-width and bidirectional formatting characters: nothing a reader should get from outside. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Shapes of credentials, whoever they belong to: an STS AccessKeyId, an STS token, a long-term AccessKeyId. */
const CREDENTIAL_SHAPES = /STS\.[A-Za-z0-9]{8,}|CAIS[A-Za-z0-9+/=%]{16,}|LTAI[A-Za-z0-9]{8,}|string ?to ?sign|signature=|securitytoken=|accesskeysecret/i;

function percentDecoded(text: string): string[] {
  const out = [text];
  let current = text;
  // Twice: a message may quote an already percent-encoded string (a string-to-sign quotes its parameters encoded).
  for (let i = 0; i < 2; i++) {
    try {
      const next = decodeURIComponent(current.replace(/\+/g, '%20'));
      if (next === current) break;
      out.push(next);
      current = next;
    } catch {
      break;
    }
  }
  return out;
}

/** Whether the text holds one of the secrets, raw, percent-encoded (either way) or base64, in any letter case. */
export function holdsCredential(text: string, secrets: readonly (string | undefined)[]): boolean {
  const forms = percentDecoded(text).map((t) => t.toLowerCase());
  if (forms.some((f) => CREDENTIAL_SHAPES.test(f))) return true;
  for (const secret of secrets) {
    if (!secret || secret.length < 8) continue;
    const encodings = [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')].map((e) => e.toLowerCase());
    if (forms.some((f) => encodings.some((e) => f.includes(e)))) return true;
  }
  return false;
}

/** Longest outside text shown in a body or a log line. */
export const MAX_SHOWN_TEXT = 300;

/**
 * The one way outside text reaches a body or a log: undefined when it is not a string, is empty, or holds a
 * credential; otherwise without control characters, phone numbers masked, at most `maxLength` characters.
 */
export function redactText(value: unknown, secrets: readonly (string | undefined)[], maxLength = MAX_SHOWN_TEXT): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  // Judge a bounded prefix: a megabyte of message is not worth scanning, and only its start is ever shown.
  const head = value.length > 4 * maxLength ? value.slice(0, 4 * maxLength) : value;
  if (holdsCredential(head, secrets)) return undefined;
  const clean = maskPhoneNumbers(head.replace(CONTROL, ''));
  if (clean.trim() === '') return undefined;
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}
