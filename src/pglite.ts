/**
 * 'streamwise/pglite': PostgreSQL inside the process (PGlite) as the database of @Replicate tables,
 * for demos, tests and tools that should need no server. An entry of its own so that apps on a
 * server ('streamwise/postgres', `pg`) never load PGlite, and apps on PGlite need no `pg`.
 * `@electric-sql/pglite` is an optional peer dependency: `npm install @electric-sql/pglite`.
 */
export type { PgliteDatabaseOptions } from './replicas/pglite-database';
export { pgliteDatabase } from './replicas/pglite-database';
