import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A write to a state store from outside its service's handlers, or for a key of another partition. */
export class StateStoreWriteError extends StreamwiseError {
  static override readonly code = ErrorCodes.STATE_STORE_WRITE;

  constructor(store: string, problem: string) {
    super(ErrorCodes.STATE_STORE_WRITE, `State store "${store}": ${problem}`);
  }
}
