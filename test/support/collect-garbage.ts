import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, without starting node with --expose-gc: for a test or a benchmark
 * that must know what is still reachable (a WeakRef's target, the heap a run left behind).
 */
export const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
