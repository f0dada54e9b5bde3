import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** waitFor() on a table ran out of time before the key reached the wanted state. */
export class TableWaitTimeoutError extends StreamwiseError {
  static override readonly code = ErrorCodes.TABLE_WAIT_TIMEOUT;

  readonly table: string;
  readonly key: string;

  constructor(table: string, key: string, timeoutMs: number) {
    super(
      ErrorCodes.TABLE_WAIT_TIMEOUT,
      `Key "${key}" of table "${table}" did not reach the awaited state within ${timeoutMs} ms. The event may still be on its way: ask again, or with a longer timeout.`,
      { retriable: true },
    );
    this.table = table;
    this.key = key;
  }
}
