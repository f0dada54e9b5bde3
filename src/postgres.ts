/**
 * 'streamwise/postgres': a PostgreSQL server as the database of @Replicate tables, in an entry of
 * its own so that only apps with replicas load `pg` (an optional peer dependency: install it with
 * `npm install pg`).
 */
export type { PostgresDatabaseOptions } from './replicas/postgres-database';
export { postgresDatabase } from './replicas/postgres-database';
