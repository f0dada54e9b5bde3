import { demoDatabase } from './demo-database';

describe('the demo database', () => {
  it.each([
    [
      { DATABASE_URL: 'postgres://u:p@db.example:6543/shop' },
      'PostgreSQL at db.example:6543 (DATABASE_URL)',
    ],
    [
      { PGHOST: 'db.example', PGPORT: '6544', PGDATABASE: 'shop' },
      'PostgreSQL at db.example:6544 (PGHOST)',
    ],
    [{ PGDATABASE: 'shop' }, 'PostgreSQL at 127.0.0.1:5432 (PGHOST)'],
    [{}, 'PGlite: PostgreSQL inside this process'],
    [{ DATABASE_URL: ' ' }, 'PGlite: PostgreSQL inside this process'],
  ])('for %j is %s', async (env, description) => {
    const chosen = demoDatabase(env);
    expect(chosen.description).toBe(description);
    // Neither connects before its first statement: closing costs nothing.
    await chosen.database.close();
  });
});
