import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A changelog that cannot rebuild a store: an entry it does not understand, or one written under
 * different options (the window size changed, entries from another partition). Restarting cannot
 * fix it, so it is not retriable; the message says what to change.
 */
export class ChangelogRestoreError extends StreamwiseError {
  static override readonly code = ErrorCodes.CHANGELOG_RESTORE;

  readonly store: string;

  constructor(store: string, problem: string) {
    super(ErrorCodes.CHANGELOG_RESTORE, `Cannot restore ${store} from its changelog: ${problem}`);
    this.store = store;
  }
}
