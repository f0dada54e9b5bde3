import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A unit of in-flight work (one record being handled). While it awaits a clock timer it is
 * "parked": waiting on time, not on anything else. A test harness can then tell "work is waiting
 * for time to pass" apart from "work is running", and advance a manual clock without sleeping.
 */
export interface Activity {
  park(): void;
  unpark(): void;
}

const storage = new AsyncLocalStorage<Activity>();
let running = 0;

/**
 * Runs `work` as `activity`. While any activity runs, the store costs a hook on every promise of
 * the process; once the last one ends the store is switched off again (run() switches it on), so a
 * test bed that stopped leaves no cost behind in the process that ran it.
 */
export function runInActivity<T>(activity: Activity, work: () => Promise<T>): Promise<T> {
  running++;
  let result: Promise<T>;
  try {
    result = storage.run(activity, work);
  } catch (error) {
    activityEnded();
    throw error;
  }
  return result.finally(activityEnded);
}

/** How many activities run now (0 once every test bed stopped). */
export function runningActivities(): number {
  return running;
}

function activityEnded(): void {
  running--;
  if (running === 0) storage.disable();
}

export function currentActivity(): Activity | undefined {
  return storage.getStore();
}
