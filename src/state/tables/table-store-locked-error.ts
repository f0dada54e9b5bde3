import { ConfigurationError } from '../../errors/configuration-error';

/** Another running instance (in this process or another) already uses a persistent table's folder. */
export class TableStoreLockedError extends ConfigurationError {
  readonly path: string;

  constructor(path: string, holder: string) {
    super(
      `The persistent table store at ${path} is in use by ${holder}. Every instance keeps its own copy of a persistent view: give each instance its own stateDir. If no such process runs any more, delete ${path}/streamwise.lock.`,
    );
    this.path = path;
  }
}
