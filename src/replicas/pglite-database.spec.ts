import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';
import { openPglite, pgliteDatabase } from './pglite-database';

// How it behaves as a replica database is in replica-database.spec.ts, next to the server.
describe('pgliteDatabase', () => {
  it('names the package to install when PGlite is not installed', async () => {
    const missing = 'streamwise-no-such-package';
    const opening = openPglite(undefined, () => import(missing));
    await expect(opening).rejects.toThrow(MissingPeerDependencyError);
    await expect(opening).rejects.toThrow(
      'The option replicaDatabase: pgliteDatabase() needs @electric-sql/pglite, which could not be loaded. Install them next to streamwise (npm install @electric-sql/pglite) or turn the option off.',
    );
  });

  it('lets any other failure to load through as it is', async () => {
    const failure = new SyntaxError('Unexpected token');
    await expect(openPglite(undefined, () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('starts no database until the first statement, so closing an unused one is free', async () => {
    await expect(pgliteDatabase().close()).resolves.toBeUndefined();
  });
});
