/**
 * The schemas of what the function answers: a lookup's binding detail, a find's list, a batch's results, and
 * the envelopes around them, built by one factory in two readings:
 * - strict (lib/shared/answers.ts): the tests and the OpenAPI generator hold the function to exactly these fields;
 * - loose (`answerSchemas('loose')`, used by lib/caller): a caller deployed today must accept the fields a newer
 *   function adds, at every level, while still checking every field it reads.
 * The query function builds its answers as these types and never parses them, so its bundle does not hold this
 * module; the caller builds only the loose reading (it imports this module, never answers.ts's values).
 */
import * as z from 'zod/mini';

const BINDING_STATUSES = ['ACTIVE', 'INACTIVE', 'UNKNOWN'] as const;

const described = <T extends z.ZodMiniType>(schema: T, description: string) => schema.check(z.describe(description));
const nullableString = (description: string) => described(z.nullable(z.string()), description);
const isoDate = (description: string) => described(z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/))), description);

/** The object builder of a reading, typed as the strict one: the fields a reader may rely on are the same in both. */
type ObjectBuilder = typeof z.strictObject;

/** A lookup's binding detail and the single lookup's envelopes. */
function lookupSchemas(obj: ObjectBuilder) {
  const bindingDetailSchema = obj({
    subsId: nullableString('Binding ID.'),
    phoneNoA: nullableString('Number A; masked as 150****0000 where the function runs with PHONE_NUMBER_OUTPUT=masked.'),
    phoneNoB: nullableString('Number B (AXB bindings), masked like phoneNoA; null for AXN bindings.'),
    phoneNoX: nullableString('The private number X.'),
    extension: nullableString('Extension number (AXG / AXN-extension bindings), else null.'),
    groupId: described(z.nullable(z.string().check(z.regex(/^[1-9][0-9]*$/))), 'AXG number-group ID as an exact decimal string; null when not an AXG binding.'),
    gmtCreate: isoDate('Creation time, Beijing time (ISO 8601, +08:00); null when upstream sent none or an unreadable one.'),
    expireDate: isoDate('Expiry time, Beijing time (ISO 8601, +08:00); null when upstream sent none or an unreadable one.'),
    needRecord: described(z.nullable(z.boolean()), 'Whether calls on this binding are recorded.'),
    status: described(z.enum(BINDING_STATUSES), 'ACTIVE (upstream 1), INACTIVE (upstream 0, expired or invalid), or UNKNOWN.'),
    callRestrict: nullableString('One-way call restriction (CONTROL_AX_DISABLE, CONTROL_BX_DISABLE), else null.'),
    asrStatus: described(z.nullable(z.boolean()), 'Whether speech recognition is on.'),
    asrModelId: nullableString('Speech recognition model ID.'),
  });

  const successEnvelopeSchema = obj({
    ok: z.literal(true),
    requestId: described(z.nullable(z.string()), "Dyplsapi's RequestId, for support tickets."),
    data: bindingDetailSchema,
  });

  const issueSchema = obj({ path: z.string(), message: z.string() });

  const errorEnvelopeSchema = obj({
    ok: z.literal(false),
    requestId: described(z.nullable(z.string()), "Dyplsapi's RequestId when the error came from upstream and it sent one, else null."),
    error: obj({
      code: described(z.string(), "Dyplsapi's own code, unchanged, or one of this function's codes."),
      message: described(z.string(), 'What went wrong and what to fix, in English.'),
      messageZh: described(z.string(), 'The same, in Chinese.'),
      retryable: described(z.boolean(), 'Whether the same request may succeed if retried later.'),
      issues: described(z.optional(z.array(issueSchema)), 'Every bad field of an InvalidRequest (or bad variable of a ConfigurationInvalid).'),
      upstreamMessage: described(z.optional(z.string()), "Dyplsapi's own Message, when it is safe to show."),
    }),
  });

  const envelopeSchema = z.union([successEnvelopeSchema, errorEnvelopeSchema]);
  return { bindingDetailSchema, successEnvelopeSchema, errorEnvelopeSchema, envelopeSchema };
}

/** A find's data and envelopes. */
function findSchemas(obj: ObjectBuilder, { bindingDetailSchema, errorEnvelopeSchema }: ReturnType<typeof lookupSchemas>) {
  const errorSummarySchema = obj({
    code: z.string(),
    message: z.string(),
    messageZh: z.string(),
    retryable: z.boolean(),
  });

  const findDataSchema = obj({
    phoneNoX: described(z.string(), 'The X number that was asked about.'),
    bindings: described(
      z.array(bindingDetailSchema),
      'Its bindings (matching phoneNoA/phoneNoB when given): ACTIVE first, then newest gmtCreate first (none last), then SubsId ascending.',
    ),
    listed: described(z.number().check(z.int(), z.minimum(0)), 'How many distinct SubsIds Dyplsapi listed for X.'),
    truncated: described(z.boolean(), 'Whether more were listed than the function looks up (FIND_MAX_BINDINGS).'),
    unresolved: described(
      z.array(obj({ subsId: z.string(), error: errorSummarySchema })),
      'Listed bindings whose details could not be read, with why (retry those that are retryable).',
    ),
  });

  const findSuccessEnvelopeSchema = obj({
    ok: z.literal(true),
    requestId: described(z.nullable(z.string()), "QuerySubsId's RequestId."),
    data: findDataSchema,
  });
  const findEnvelopeSchema = z.union([findSuccessEnvelopeSchema, errorEnvelopeSchema]);
  return { findDataSchema, findSuccessEnvelopeSchema, findEnvelopeSchema };
}

/** A batch's results, data and envelopes. */
function batchSchemas(obj: ObjectBuilder, { successEnvelopeSchema, errorEnvelopeSchema }: ReturnType<typeof lookupSchemas>) {
  const withStatus = described(z.number().check(z.int(), z.minimum(100), z.maximum(599)), 'The HTTP status a single lookup of this item would have answered.');
  const batchResultSchema = z.union([obj({ status: withStatus, ...successEnvelopeSchema.shape }), obj({ status: withStatus, ...errorEnvelopeSchema.shape })]);

  const batchDataSchema = obj({
    results: described(z.array(batchResultSchema), 'One result per query, in order: the envelope a single lookup of it would have answered, and its status.'),
    counts: described(obj({ ok: z.number().check(z.int()), failed: z.number().check(z.int()) }), 'How many results are ok and not.'),
  });

  const batchSuccessEnvelopeSchema = obj({
    ok: z.literal(true),
    requestId: described(z.null(), 'Always null: each result carries its own.'),
    data: batchDataSchema,
  });
  const batchEnvelopeSchema = z.union([batchSuccessEnvelopeSchema, errorEnvelopeSchema]);
  return { batchResultSchema, batchDataSchema, batchSuccessEnvelopeSchema, batchEnvelopeSchema };
}

/** Every answer schema, in the strict or the loose reading (the types are the same: the loose one only admits more). */
export function answerSchemas(reading: 'strict' | 'loose') {
  const obj: ObjectBuilder = reading === 'strict' ? z.strictObject : z.looseObject;
  const lookup = lookupSchemas(obj);
  return { ...lookup, ...findSchemas(obj, lookup), ...batchSchemas(obj, lookup) };
}
