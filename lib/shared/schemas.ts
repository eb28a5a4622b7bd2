/**
 * The zod schemas: what a caller may send and what it gets back. Types derive from them, and the OpenAPI
 * document is generated from them (lib/dev/openapi.ts), so there is no hand-kept copy of either.
 * Built once at module load; nothing here runs per call except `.safeParse`.
 */
// zod/mini: the same validator with a tree-shakeable API; the classic `z` object pulls ~90 KB into the bundle.
import * as z from 'zod/mini';

export const PRODUCT_TYPES = ['AXB_170', 'AXN_170', 'AXN_95', 'AXN_EXTENSION_REUSE'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** The request's fields, camelCase, each with the PascalCase name Dyplsapi uses on the wire. */
export const REQUEST_FIELDS = {
  poolKey: 'PoolKey',
  productType: 'ProductType',
  subsId: 'SubsId',
  phoneNoX: 'PhoneNoX',
  phoneNoA: 'PhoneNoA',
  phoneNoB: 'PhoneNoB',
} as const;
export type RequestField = keyof typeof REQUEST_FIELDS;

const NOT_SAFE = { error: 'must be a non-negative safe integer when given as a JSON number; send larger values as a string' };
const safeInteger = z.number().check(z.int(NOT_SAFE), z.minimum(0, NOT_SAFE), z.maximum(Number.MAX_SAFE_INTEGER, NOT_SAFE));

/**
 * A string of digits, also accepted as a JSON number when that number is a safe integer (it is then used
 * as its decimal string). A blank string counts as absent, so both say "is required".
 */
function digitField(normalize: (s: string) => string, accept: (s: string) => boolean, rule: string, description: string) {
  return z
    .pipe(
      z.pipe(
        z.union([z.string(), safeInteger], {
          error: (iss) => (iss.input === undefined ? 'is required' : `must be a string of digits or a non-negative safe integer; ${rule}`),
        }),
        z.transform((v: string | number) => (typeof v === 'number' ? String(v) : normalize(v))),
      ),
      z.string().check(z.refine(accept, { error: (iss) => (iss.input === '' ? 'is required' : rule) })),
    )
    .check(z.describe(description));
}

const LONG_MAX = '9223372036854775807';

/** A SubsId as Dyplsapi keeps it: a decimal Java long, so 1 to 19 digits and at most 2^63 - 1. */
export function isSubsId(s: string): boolean {
  return /^[0-9]{1,19}$/.test(s) && (s.length < 19 || s <= LONG_MAX);
}

/** Drops a +86 / 0086 country prefix and the spaces and hyphens people type inside numbers. */
export function compactPhoneNumber(raw: string): string {
  const compact = raw.trim().replace(/[\s-]+/g, '');
  if (compact.startsWith('+86')) return compact.slice(3);
  if (compact.startsWith('0086')) return compact.slice(4);
  return compact;
}

/** An optional string field; blank counts as absent, so `?poolKey=&productType=AXB_170` means "productType". */
function optionalText<T extends z.ZodMiniType<unknown, string>>(inner: T, description: string) {
  return z
    .optional(
      z.pipe(
        z.pipe(
          z.string({ error: 'must be a string' }),
          z.transform((v: string) => (v.trim() === '' ? undefined : v.trim())),
        ),
        z.optional(inner),
      ),
    )
    .check(z.describe(description));
}

/**
 * The request, after field names are merged to camelCase. "Exactly one of poolKey and productType" is checked
 * in lib/shared/request.ts, so that it is reported together with every other bad field.
 */
const poolKeyField = () =>
  optionalText(
    z.string().check(z.regex(/^FC[0-9]{1,40}$/, { error: 'must be FC followed by digits, e.g. FC100000012345678' })),
    'Pool key from the console (号码池管理), FC followed by digits. Give this or productType.',
  );
const productTypeField = () =>
  optionalText(
    z.enum(PRODUCT_TYPES, { error: `must be one of ${PRODUCT_TYPES.join(', ')}` }),
    'Legacy (Alidayu) accounts only: the product type. Give this or poolKey.',
  );
const PHONE_RULE = 'must be 5 to 20 digits (a +86 or 0086 prefix, spaces and hyphens are removed first)';
const phoneField = (description: string) => digitField(compactPhoneNumber, (s) => /^[0-9]{5,20}$/.test(s), PHONE_RULE, description);

export const requestSchema = z.strictObject({
  poolKey: poolKeyField(),
  productType: productTypeField(),
  subsId: digitField(
    (s) => s.trim(),
    isSubsId,
    'must be 1 to 19 digits, at most 9223372036854775807',
    'Binding ID (SubsId) returned by BindAxb/BindAxn/…: 1 to 19 digits, at most 9223372036854775807 (Dyplsapi keeps it as a Java long).',
  ),
  phoneNoX: phoneField('The private number X of the binding; +86/0086, spaces and hyphens are removed; then 5 to 20 digits.'),
});

/** A validated single lookup: exactly one of `poolKey` and `productType` is set (checked with the other fields). */
export type QueryRequest = z.output<typeof requestSchema>;
/** What a caller may pass for a single lookup: camelCase fields, digits as strings or safe integers. */
export type QueryRequestInput = z.input<typeof requestSchema>;

/** A find: every binding of X (no SubsId), optionally only those whose A and B match. */
export const findRequestSchema = z.strictObject({
  poolKey: poolKeyField(),
  productType: productTypeField(),
  phoneNoX: phoneField('The private number X whose bindings are wanted; cleaned up as for a lookup.'),
  phoneNoA: z.optional(phoneField('Only bindings whose A is this number (cleaned up like phoneNoX).')),
  phoneNoB: z.optional(phoneField('Only bindings whose B is this number (cleaned up like phoneNoX).')),
});
export type FindRequest = z.output<typeof findRequestSchema>;
export type FindRequestInput = z.input<typeof findRequestSchema>;

/** At most this many lookups in one batch. */
export const MAX_BATCH_ITEMS = 100;

// What the function answers: in lib/shared/answers.ts, so that the query function's bundle, which never parses
// its own answers, does not build those schemas at load. Its types are re-exported here (types only: erased).
export type { BatchData, BatchResult, BindingDetail, Envelope, ErrorEnvelope, FindData, SuccessEnvelope } from './answers';
