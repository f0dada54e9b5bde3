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

export function runInActivity<T>(activity: Activity, work: () => Promise<T>): Promise<T> {
  return storage.run(activity, work);
}

export function currentActivity(): Activity | undefined {
  return storage.getStore();
}
