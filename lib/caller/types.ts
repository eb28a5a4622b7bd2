/**
 * The answer types a consumer of the caller library sees: the shared answer types (lib/shared/answers.ts)
 * with `error.code` typed as the union of every code the status table lists (./errors.ts).
 */
import type { BindingDetail, BatchData as SharedBatchData, ErrorEnvelope as SharedErrorEnvelope, FindData as SharedFindData } from '../shared/answers';
import type { ErrorCode } from './errors';

export type { BindingDetail } from '../shared/answers';

type WithCode<E extends { code: string }> = Omit<E, 'code'> & { code: ErrorCode };

export type ErrorEnvelope = Omit<SharedErrorEnvelope, 'error'> & { error: WithCode<SharedErrorEnvelope['error']> };
/** The success envelope of a single lookup. */
export interface SuccessEnvelope<T = BindingDetail> {
  ok: true;
  requestId: string | null;
  data: T;
}
/** The envelope around any data (a single lookup's when unspecified). */
export type Envelope<T = BindingDetail> = SuccessEnvelope<T> | ErrorEnvelope;

export type FindData = Omit<SharedFindData, 'unresolved'> & {
  unresolved: { subsId: string; error: WithCode<SharedFindData['unresolved'][number]['error']> }[];
};
/** One item of a batch: the envelope a single lookup of it would have answered, and that lookup's HTTP status. */
export type BatchResult = Envelope & { status: number };
export type BatchData = Omit<SharedBatchData, 'results'> & { results: BatchResult[] };
