import { abandonWaits } from './wait-for';

// Jest setupFilesAfterEnv of every tier: registered here, at the root, this hook runs after the
// test file's own afterEach hooks, so their teardown can still wait on conditions.
afterEach(() => {
  abandonWaits();
});
