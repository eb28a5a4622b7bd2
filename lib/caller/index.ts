/**
 * The caller library's only entry: what another function imports to query bindings through Function Compute.
 * The client and the one-shot call, the request and answer types, and the union of error codes. Nothing else:
 * a consumer's bundle holds what it imports from here and what that needs.
 */
export {
  type BindingDetailClient,
  type CallerOptions,
  createBindingDetailClient,
  type InvokeTarget,
  queryBindingDetail,
  type QueryManyOptions,
} from './client';
export type { CallerErrorCode, ErrorCode, KnownErrorCode } from './errors';
export type { BatchData, BatchResult, BindingDetail, Envelope, ErrorEnvelope, FindData, SuccessEnvelope } from './types';
export type { FindRequestInput, ProductType, QueryRequestInput } from '../shared/schemas';
export type { FunctionErrorCode, UpstreamErrorCode } from '../shared/errors';
export type { FcContext, FcCredentials, FcEvent } from '../shared/fc-types';
