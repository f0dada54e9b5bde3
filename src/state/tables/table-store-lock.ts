import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { TableStoreLockedError } from './table-store-locked-error';

const LOCK_FILE = 'streamwise.lock';

/** Folders locked by this process; a second app in the same process must not share one either. */
const heldHere = new Set<string>();

/**
 * Takes the folder of a persistent table for this process: two instances feeding one store would
 * move its offsets back and forth. LMDB allows many processes on one environment, so the lock is
 * ours: a file holding the owner's pid. A lock whose process is gone is taken over. Returns the
 * release function.
 */
export function lockTableStore(dir: string): () => void {
  if (heldHere.has(dir)) throw new TableStoreLockedError(dir, 'another app in this process');
  const file = join(dir, LOCK_FILE);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder !== process.pid && isRunning(holder)) {
      throw new TableStoreLockedError(dir, `process ${holder}`);
    }
    // Left by a process that is gone (or by this pid in an earlier life, e.g. pid 1 in a container).
    writeFileSync(file, String(process.pid));
  }
  heldHere.add(dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(dir);
    rmSync(file, { force: true });
  };
}

/** The errno code of a Node system error (checked by shape: such errors may come from another realm). */
function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errorCode(error) === 'EPERM';
  }
}
