/**
 * The catalog of replica versions. Readers read a replica through a view named by its table
 * (`orders`); each version is a table of its own (`orders_v1`, `orders_v2`, …) with its own rows in
 * the offsets table. `streamwise_replicas` holds one row per replica: the live version, which the
 * view shows and the running replica writes. That row is the switch's lock: every batch takes it
 * FOR SHARE, a switch takes it FOR UPDATE, so no batch is written to a version readers stopped
 * seeing.
 */
export const REPLICAS_TABLE = 'streamwise_replicas';
export const VERSIONS_TABLE = 'streamwise_replica_versions';

export type VersionState = 'building' | 'live' | 'old';

export function createCatalog(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${REPLICAS_TABLE} (
  replica text PRIMARY KEY,
  live integer NOT NULL,
  fingerprint text NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (
  replica text NOT NULL,
  version integer NOT NULL,
  fingerprint text NOT NULL,
  state text NOT NULL CHECK (state IN ('building', 'live', 'old')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (replica, version))`,
  ];
}

/** The table of one version of a replica. */
export function versionTable(table: string, version: number): string {
  return `${table}_v${version}`;
}

/** The view readers read, showing `version`'s table. */
export function createView(table: string, version: number): string {
  return `CREATE VIEW "${table}" AS SELECT * FROM "${versionTable(table, version)}"`;
}

/** The same view re-pointed in place: only possible while the columns stay the same. */
export function replaceView(table: string, version: number): string {
  return `CREATE OR REPLACE VIEW "${table}" AS SELECT * FROM "${versionTable(table, version)}"`;
}

/** 'r' for a table, 'v' for a view, nothing when no relation has the name. */
export const RELATION_KIND =
  'SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1';
