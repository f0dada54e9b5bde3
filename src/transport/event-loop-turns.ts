import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Handlers that never wait for I/O run a batch as one chain of promise jobs, and the event loop
 * serves no socket until the chain ends: a fetched batch of thousands of records held back a
 * replica's database answers (and any HTTP request) for 100 ms and more. Giving the loop a turn
 * every `everyMs` of such work lets that I/O through at the cost of one setImmediate per interval.
 */
export class EventLoopTurns {
  readonly #everyMs: number;
  #last = Date.now();

  constructor(everyMs = 10) {
    this.#everyMs = everyMs;
  }

  /** A turn of the event loop to await when `everyMs` passed since the last one, else undefined. */
  due(now: number = Date.now()): Promise<void> | undefined {
    if (now - this.#last < this.#everyMs) return undefined;
    this.#last = now;
    return nextTurn();
  }
}
