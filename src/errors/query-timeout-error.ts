import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A long-polling query found no result in time; the query server answers 504. */
export class QueryTimeoutError extends StreamwiseError {
  static override readonly code = ErrorCodes.QUERY_TIMEOUT;

  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(
      ErrorCodes.QUERY_TIMEOUT,
      `No result within ${timeoutMs} ms. The change may still be on its way: ask again, or wait longer with ?timeout=<ms> (at most 600000).`,
      { retriable: true },
    );
    this.timeoutMs = timeoutMs;
  }
}
