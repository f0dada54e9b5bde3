import { ConfigurationError } from '../../errors/configuration-error';

/** A persistent table's folder holds a view of another topic, or of a different partition count. */
export class TableStoreMismatchError extends ConfigurationError {
  readonly table: string;
  readonly path: string;

  constructor(table: string, path: string, change: string) {
    super(
      `Persistent table "${table}" cannot reuse its store at ${path}: ${change}. Its rows and offsets belong to that log, not this one. Start once with the app option rebuildTables: true to rebuild it from offset 0, or delete the folder.`,
    );
    this.table = table;
    this.path = path;
  }
}
