import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * CPU profiles of the timed part of a run only (BENCH_PROFILE_DIR; the relays, the view restores
 * and memory-noop call it), one `.cpuprofile` per run, so a profile shows the record path and not
 * the topic set-up, the pre-load or the checks around it. Without a directory every call does
 * nothing.
 */
export class TimedProfiles {
  readonly #dir: string | undefined;
  #session: Session | undefined;
  /** A profile runs; when start finds one, the run that started it threw before its stop. */
  #running = false;

  constructor(dir: string | undefined) {
    this.#dir = dir;
  }

  async start(): Promise<void> {
    if (this.#dir === undefined) return;
    if (this.#session === undefined) {
      this.#session = new Session();
      this.#session.connect();
      await post(this.#session, 'Profiler.enable');
      // 200 µs: fine enough for functions of a few µs a record over runs of a second or more.
      await post(this.#session, 'Profiler.setSamplingInterval', { interval: 200 });
    }
    // V8 would carry on with the running profile, and the next one would hold the failed run.
    if (this.#running) await post(this.#session, 'Profiler.stop');
    await post(this.#session, 'Profiler.start');
    this.#running = true;
  }

  /** Ends the profile `start` began and writes it as `<name>.cpuprofile`. */
  async stop(name: string): Promise<void> {
    if (this.#dir === undefined || this.#session === undefined) return;
    const stopped = (await post(this.#session, 'Profiler.stop')) as
      { profile?: unknown } | undefined;
    this.#running = false;
    await writeFile(join(this.#dir, `${name}.cpuprofile`), JSON.stringify(stopped?.profile));
  }

  /** Disconnects the inspector session, if a profile opened one. */
  close(): void {
    this.#session?.disconnect();
    this.#session = undefined;
    this.#running = false;
  }
}

function post(session: Session, method: string, params?: object): Promise<object | undefined> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error: Error | null, result?: object) => {
      if (error === null) resolve(result);
      else reject(error);
    });
  });
}
