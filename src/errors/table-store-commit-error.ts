import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A persistent table's write of a batch (its rows and positions) failed. Nothing of that batch is
 * on disk; the table keeps serving it and writes it again with the next batch, flush or close.
 */
export class TableStoreCommitError extends StreamwiseError {
  static override readonly code = ErrorCodes.TABLE_STORE_COMMIT;
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(
      ErrorCodes.TABLE_STORE_COMMIT,
      `The persistent table store at ${path} could not write a batch (${cause instanceof Error ? cause.message : String(cause)}). Nothing of it is lost: it is written again with the next batch. If this repeats, check that the folder's disk has free space and is writable; a restart resumes from the last batch written.`,
      { retriable: true, cause },
    );
    this.path = path;
  }
}
