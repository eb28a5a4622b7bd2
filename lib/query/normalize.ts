/**
 * Dyplsapi's `SecretBindDetailDTO` (PascalCase wire names, pop-core's null-prototype objects and BigNumbers)
 * → our `BindingDetail`. The only place that knows the wire field names of the answer.
 *
 * Lenient where the meaning is unambiguous (`"true"`, `"1"`, camelCase keys, extra fields), strict about shape:
 * every output field is present, absent or empty values are null.
 */
import type { BindingDetail } from '../shared/schemas';

/** A field the normalizer could not read; logged as a warning, never fatal. */
export interface NormalizeWarning {
  field: keyof BindingDetail;
  reason: string;
}

type Dto = Record<string, unknown>;

/** Reads `PascalCase`, falling back to `camelCase` (the 2018 help page's prose spelling; never seen on the wire). */
function pick(dto: Dto, pascal: string): unknown {
  const v = dto[pascal];
  if (v !== undefined) return v;
  return dto[pascal.charAt(0).toLowerCase() + pascal.slice(1)];
}

/** Longer than any value Dyplsapi keeps in a text field (numbers, extensions, model IDs): such a value is unreadable. */
const MAX_TEXT_CHARS = 256;

function text(v: unknown): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

function bool(v: unknown): boolean | null {
  if (v === true || v === false) return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  if (v === 1) return true;
  if (v === 0) return false;
  return null;
}

function status(v: unknown): BindingDetail['status'] {
  const n = typeof v === 'string' ? v.trim() : v;
  if (n === 1 || n === '1') return 'ACTIVE';
  if (n === 0 || n === '0') return 'INACTIVE';
  return 'UNKNOWN';
}

/** A json-bigint BigNumber (literals over 15 characters), recognised by shape so bignumber.js is not bundled twice. */
function isBigNumberLike(v: unknown): v is { toFixed(): string } {
  return typeof v === 'object' && v !== null && typeof (v as { toFixed?: unknown }).toFixed === 'function';
}

/** GroupId as an exact decimal string; 0 (not an AXG binding) is null. */
function groupId(v: unknown): { value: string | null; bad: boolean } {
  let digits: string | undefined;
  if (typeof v === 'number') digits = Number.isSafeInteger(v) ? String(v) : undefined;
  else if (typeof v === 'string') digits = v.trim();
  else if (isBigNumberLike(v)) digits = v.toFixed();
  else if (v === undefined || v === null) return { value: null, bad: false };
  if (digits === '' || digits === undefined) return { value: null, bad: digits === undefined };
  if (!/^[0-9]+$/.test(digits)) return { value: null, bad: true };
  const trimmed = digits.replace(/^0+/, '');
  return { value: trimmed === '' ? null : trimmed, bad: false };
}

const WIRE_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * `yyyy-MM-dd HH:mm:ss` in Beijing time (the service is mainland-only; China has no DST) → ISO 8601 with +08:00.
 * Parsed by hand: `new Date(raw)` would read it in the instance's zone (UTC on FC).
 */
function beijingDate(v: unknown): { value: string | null; bad: boolean } {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return { value: null, bad: false };
  const m = typeof v === 'string' ? WIRE_DATE.exec(v.trim()) : null;
  if (!m) return { value: null, bad: true };
  const [, y = '', mo = '', d = '', h = '', mi = '', s = ''] = m;
  const month = Number(mo);
  const real = month >= 1 && month <= 12 && Number(d) >= 1 && Number(d) <= daysIn(Number(y), month) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
  if (!real) return { value: null, bad: true };
  return { value: `${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`, bad: false };
}

/** Normalises one DTO. The caller has checked that `dto` is an object. */
export function normalizeBindingDetail(dto: Dto): { data: BindingDetail; warnings: NormalizeWarning[] } {
  const warnings: NormalizeWarning[] = [];
  const gmtCreate = beijingDate(pick(dto, 'GmtCreate'));
  const expireDate = beijingDate(pick(dto, 'ExpireDate'));
  const group = groupId(pick(dto, 'GroupId'));
  if (gmtCreate.bad) warnings.push({ field: 'gmtCreate', reason: 'not a yyyy-MM-dd HH:mm:ss date' });
  if (expireDate.bad) warnings.push({ field: 'expireDate', reason: 'not a yyyy-MM-dd HH:mm:ss date' });
  if (group.bad) warnings.push({ field: 'groupId', reason: 'not a non-negative integer' });

  // Bounded, so that a batch's answer is too: 100 items of 7 text fields can never outgrow what a caller reads.
  const field = (name: keyof BindingDetail, v: unknown) => {
    const t = text(v);
    if (t === null || t.length <= MAX_TEXT_CHARS) return t;
    warnings.push({ field: name, reason: `longer than ${MAX_TEXT_CHARS} characters` });
    return null;
  };
  const data: BindingDetail = {
    subsId: field('subsId', pick(dto, 'SubsId')),
    phoneNoA: field('phoneNoA', pick(dto, 'PhoneNoA')),
    phoneNoB: field('phoneNoB', pick(dto, 'PhoneNoB')),
    phoneNoX: field('phoneNoX', pick(dto, 'PhoneNoX')),
    extension: field('extension', pick(dto, 'Extension')),
    groupId: group.value,
    gmtCreate: gmtCreate.value,
    expireDate: expireDate.value,
    needRecord: bool(pick(dto, 'NeedRecord')),
    status: status(pick(dto, 'Status')),
    callRestrict: field('callRestrict', pick(dto, 'CallRestrict')),
    // The wire spells it ASRStatus; the camelCase fallback would be aSRStatus, so name the lower-case form too.
    asrStatus: bool(pick(dto, 'ASRStatus') ?? dto.asrStatus),
    asrModelId: field('asrModelId', pick(dto, 'ASRModelId') ?? dto.asrModelId),
  };
  // The shape is the schema's type (BindingDetail); tests and the OpenAPI check validate real answers against
  // bindingDetailSchema itself, so the hot path does not parse its own output a second time.
  return { data, warnings };
}
