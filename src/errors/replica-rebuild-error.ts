import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A replica's table versions are not in a state a rebuild or a switch can work from. */
export class ReplicaRebuildError extends StreamwiseError {
  static override readonly code = ErrorCodes.REPLICA_REBUILD;

  readonly table: string;

  /** `problem` says what was found and what to do, as one or more sentences. */
  constructor(table: string, problem: string) {
    super(ErrorCodes.REPLICA_REBUILD, `Replica "${table}": ${problem}`);
    this.table = table;
  }
}
