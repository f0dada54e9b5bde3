import { AppStateError } from '../../errors/app-state-error';

/** A persistent table was read after its service stopped and its store was closed. */
export class TableStoreClosedError extends AppStateError {
  constructor(path: string) {
    super(
      `The persistent table store at ${path} is closed: its service has stopped. Read persistent tables while the service runs (onStop runs after they are closed).`,
    );
  }
}
