import { join, resolve } from 'node:path';

/** The default folder of persistent tables, under the process's working directory. */
export const DEFAULT_STATE_DIR = '.streamwise-state';

/** Where persistent @Materialize tables live and whether they are rebuilt (the app options). */
export interface TableStorageOptions {
  /** Default `.streamwise-state` under the process's working directory. */
  readonly stateDir?: string;
  /** Clear every persistent table at start and read its topic from offset 0. Default false. */
  readonly rebuildTables?: boolean;
}

/** `<stateDir>/<service>/<property>`: one LMDB environment per service and table. */
export function tableStoreDir(
  options: TableStorageOptions,
  service: string,
  property: string,
): string {
  const root = resolve(process.cwd(), options.stateDir ?? DEFAULT_STATE_DIR);
  // Service names are kebab-case and properties identifiers; encoding only guards odd ones.
  return join(root, encodeURIComponent(service), encodeURIComponent(property));
}
