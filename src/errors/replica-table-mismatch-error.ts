import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A replica's table exists with other columns than the replica declares. */
export class ReplicaTableMismatchError extends StreamwiseError {
  static override readonly code = ErrorCodes.REPLICA_TABLE_MISMATCH;

  readonly table: string;

  constructor(table: string, found: readonly string[], declared: readonly string[]) {
    super(
      ErrorCodes.REPLICA_TABLE_MISMATCH,
      `Table "${table}" has the columns (${found.join(', ')}), but its @Replicate declares (${declared.join(', ')}). A replica is regenerated from its topic, never migrated in place: drop the table (DROP TABLE ${table}; DELETE FROM streamwise_replica_offsets WHERE replica = '${table}') and restart to rebuild it from offset 0, or replicate into a new table name.`,
    );
    this.table = table;
  }
}
