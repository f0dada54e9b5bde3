import { currentActivity } from './activity';
import type { Clock } from './clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/**
 * A clock that moves only when told to. `sleep` registers a timer; `advance` fires the timers it
 * passes, in time order. Deterministic tests of retries, windows and timeouts need no real waits.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    const activity = currentActivity();
    activity?.park();
    return new Promise<void>((resolve) => {
      const timer: Timer = {
        // NaN or a negative delay fires at once rather than never.
        at: this.#now + (Number.isFinite(ms) && ms > 0 ? ms : 0),
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener('abort', cancel);
          activity?.unpark();
          resolve();
        },
      };
      const cancel = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        timer.fire();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.#timers.push(timer);
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    });
  }

  /** Number of sleeps not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Time of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves time to `time` (never backwards), firing every timer due by then. */
  advanceTo(time: number): void {
    if (!Number.isFinite(time)) {
      throw new RangeError(`ManualClock cannot move to ${time}: give a finite time in ms.`);
    }
    const target = Math.max(time, this.#now);
    while (this.#timers.length > 0 && this.#timers[0].at <= target) {
      const timer = this.#timers.shift() as Timer;
      this.#now = Math.max(this.#now, timer.at);
      timer.fire();
    }
    this.#now = target;
  }
}
