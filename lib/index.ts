/**
 * The package entry for other functions (bundle it with esbuild): the typed caller, the envelope types and
 * schemas, and the status helper.
 */
export { type CallerOptions, createBindingDetailClient, queryBindingDetail } from './caller';
export { type BindingStatusAnswer, bindingStatus } from './binding-status';
export {
  type BindingDetail,
  type Envelope,
  envelopeSchema,
  type ErrorEnvelope,
  errorEnvelopeSchema,
  type QueryRequest,
  requestSchema,
  type SuccessEnvelope,
  successEnvelopeSchema,
} from './schemas';
export type { FcContext, FcCredentials } from './fc-types';
