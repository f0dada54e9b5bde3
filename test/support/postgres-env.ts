import { randomBytes } from 'node:crypto';

/**
 * Where replica tests find PostgreSQL: STREAMWISE_PG_URL (npm run test:all starts a server and
 * sets it; by hand: `PG_PORT=55432 npm run postgres:start`, then
 * STREAMWISE_PG_URL=postgres://postgres@127.0.0.1:55432/streamwise_test).
 */
export function postgresUrl(): string | undefined {
  const url = process.env.STREAMWISE_PG_URL;
  return url === undefined || url.trim() === '' ? undefined : url;
}

/** `describe` when a database is configured, else `describe.skip` (the global setup says so). */
export function describeWithPostgres(name: string, body: () => void): void {
  (postgresUrl() === undefined ? describe.skip : describe)(name, body);
}

/** A table name no other test (or earlier run against the same database) uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
