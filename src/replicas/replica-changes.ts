import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeliveredRecord } from '../transport/transport';
import {
  FOLD_STEPS,
  type FoldFailure,
  projectionResolver,
  type ProjectionStep,
} from './projection-fold';
import { LATEST_ROW, type PendingRules } from './replica-pending';
import type { ReplicaChange } from './replica-record';
import type { RowChange, RowResolver } from './replica-table';

/** A checked record's change: what replicaChange gives for a record that belongs on its topic. */
export type GoodChange = Exclude<ReplicaChange, { readonly kind: 'bad' }>;

/**
 * How a replica's pending changes are kept and written: a mapping keeps the latest row per key and
 * writes it as it is; a projection keeps every record per key and folds them in the batch's
 * transaction. The feeder and a rebuild both go through this, so both build the same rows.
 */
export interface ReplicaChanges<T> {
  readonly rules: PendingRules<T>;
  /** What a checked record adds to its key's pending change. */
  pendingOf(change: GoodChange, record: DeliveredRecord): T;
  /** Turns pending changes into rows while `target` (a version table) is written. */
  resolver(target: ReplicaMetadata, failed: FoldFailure): RowResolver<T> | undefined;
}

const MAPPED: ReplicaChanges<RowChange> = {
  rules: LATEST_ROW,
  pendingOf: (change) => (change.kind === 'row' ? change.row : null),
  resolver: () => undefined,
};

const FOLDED: ReplicaChanges<ProjectionStep[]> = {
  rules: FOLD_STEPS,
  pendingOf: (change, record) => [
    {
      input: change.kind === 'fold' ? change.input : 0,
      value: change.kind === 'fold' ? change.value : null,
      info: { partition: record.partition, offset: record.offset, timestamp: record.timestamp },
      record,
    },
  ],
  resolver: (target, failed) => projectionResolver(target, failed),
};

export function replicaChanges(replica: ReplicaMetadata): ReplicaChanges<unknown> {
  return (replica.projection ? FOLDED : MAPPED) as ReplicaChanges<unknown>;
}
