/**
 * The caller library's only entry: what another function imports to query bindings through Function Compute.
 * The typed call, the envelope types and schemas, and the caller's own settings.
 */
export {
  type BindingDetailClient,
  type CallerOptions,
  createBindingDetailClient,
  type InvokeTarget,
  queryBindingDetail,
  type QueryManyOptions,
} from './client';
export { type CallerConfig, type CallerConfigResult, CALLER_ENV_KEYS, loadCallerConfig, parseCallerConfig } from './config';
export { configurationFailure, type Failure } from '../shared/errors';
export { failureEnvelope } from '../shared/envelope';
export { createLogger, type Logger } from '../shared/logger';
export {
  type BatchData,
  batchEnvelopeSchema,
  type BatchResult,
  type BindingDetail,
  type Envelope,
  envelopeSchema,
  type ErrorEnvelope,
  errorEnvelopeSchema,
  type FindData,
  findEnvelopeSchema,
  type SuccessEnvelope,
  successEnvelopeSchema,
} from '../shared/answers';
export { type FindRequest, type FindRequestInput, type QueryRequest, type QueryRequestInput, requestSchema } from '../shared/schemas';
export type { FcContext, FcCredentials, FcEvent } from '../shared/fc-types';
