import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * Another writer moved a replica's stored offsets since this instance read them (it lost the
 * partitions in a rebalance it has not seen yet): its pending rows are dropped, not written.
 */
export class ReplicaFencedError extends StreamwiseError {
  static override readonly code = ErrorCodes.REPLICA_FENCED;

  readonly table: string;
  readonly partitions: readonly number[];

  constructor(table: string, partitions: readonly number[]) {
    super(
      ErrorCodes.REPLICA_FENCED,
      `Replica "${table}": partition(s) ${partitions.join(', ')} were written by another instance since this one was assigned them, so its pending rows for them were dropped. Nothing to do: the instance that holds them now continues from the offsets it stored. If this repeats, look for two apps replicating into one table with different service names.`,
      { retriable: true },
    );
    this.table = table;
    this.partitions = partitions;
  }
}
