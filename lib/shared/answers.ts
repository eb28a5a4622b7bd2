/**
 * The strict reading of the answer schemas (lib/shared/answer-schemas.ts), which the tests, the OpenAPI
 * generator and the soak hold the function to, and the answer types. Neither the query function (it never
 * parses its answers) nor the caller library (it reads loosely) loads these values.
 */
import type * as z from 'zod/mini';
import { answerSchemas } from './answer-schemas';

const strict = answerSchemas('strict');
export const {
  bindingDetailSchema,
  successEnvelopeSchema,
  errorEnvelopeSchema,
  envelopeSchema,
  findDataSchema,
  findSuccessEnvelopeSchema,
  findEnvelopeSchema,
  batchResultSchema,
  batchDataSchema,
  batchSuccessEnvelopeSchema,
  batchEnvelopeSchema,
} = strict;

type Schemas = ReturnType<typeof answerSchemas>;
export type BindingDetail = z.infer<Schemas['bindingDetailSchema']>;
export type FindData = z.infer<Schemas['findDataSchema']>;
export type BatchResult = z.infer<Schemas['batchResultSchema']>;
export type BatchData = z.infer<Schemas['batchDataSchema']>;
export type ErrorEnvelope = z.infer<Schemas['errorEnvelopeSchema']>;
/** The success envelope of a single lookup. */
export type SuccessEnvelope = z.infer<Schemas['successEnvelopeSchema']>;
/** The envelope around any data (a single lookup's when unspecified). */
export type Envelope<T = BindingDetail> = { ok: true; requestId: string | null; data: T } | ErrorEnvelope;
