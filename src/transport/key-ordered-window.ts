import type { Activity } from '../clock/activity';
import type { DeliveredRecord, RecordOutput } from './transport';

/** Records fetched ahead per unit of concurrency, so one slow key does not starve the others. */
const FETCH_AHEAD = 4;

type SlotState = 'queued' | 'running' | 'done' | 'abandoned';

/** One fetched record of a partition, from fetch until its offset is committed. */
export class WindowSlot implements Activity {
  readonly record: DeliveredRecord;
  readonly output: RecordOutput;
  /** Byte-equal keys are one key; every null key is the same key. */
  readonly key: string | null;
  failures = 0;
  state: SlotState = 'queued';
  parked = false;
  readonly #parking: (slot: WindowSlot, parked: boolean) => void;

  constructor(
    record: DeliveredRecord,
    output: RecordOutput,
    parking: (slot: WindowSlot, parked: boolean) => void,
  ) {
    this.record = record;
    this.output = output;
    this.key = record.key === null ? null : record.key.toString('latin1');
    this.#parking = parking;
  }

  park(): void {
    if (!this.parked) this.#parking(this, true);
  }

  unpark(): void {
    if (this.parked) this.#parking(this, false);
  }
}

export interface WindowHooks {
  /** Handles the record (with its retries): true once handled, false if it was given up. */
  readonly run: (slot: WindowSlot) => Promise<boolean>;
  /** The commit passed the slot: called in offset order. */
  readonly complete: (slot: WindowSlot) => void;
  /** Something finished, parked or woke up. */
  readonly changed: () => void;
}

/**
 * Key-ordered concurrency within one partition: up to `concurrency` records run at once, a record
 * starts only when no earlier unfinished record has its key (so one key's records never overlap
 * and keep offset order), and records leave, committed, only from the front: the committed offset
 * never passes the lowest unfinished record.
 */
export class KeyOrderedWindow {
  readonly concurrency: number;
  readonly #slots: WindowSlot[] = [];
  readonly #hooks: WindowHooks;
  readonly #limit: number;
  /** Slots whose handler (or its redelivery backoff) is in progress. */
  #running = 0;
  #parked = 0;

  constructor(concurrency: number, hooks: WindowHooks) {
    this.concurrency = concurrency;
    this.#hooks = hooks;
    this.#limit = concurrency * FETCH_AHEAD;
  }

  get running(): number {
    return this.#running;
  }

  /** Running and not waiting on the clock. */
  get active(): number {
    return this.#running - this.#parked;
  }

  get isEmpty(): boolean {
    return this.#slots.length === 0;
  }

  get hasRoom(): boolean {
    return this.#slots.length < this.#limit;
  }

  add(record: DeliveredRecord, output: RecordOutput): void {
    this.#slots.push(
      new WindowSlot(record, output, (slot, parked) => {
        slot.parked = parked;
        this.#parked += parked ? 1 : -1;
        this.#hooks.changed();
      }),
    );
  }

  /** Forgets every slot (after a seek); only when nothing runs. */
  clear(): void {
    this.#slots.length = 0;
  }

  /** True when a queued record could start now. */
  get startable(): boolean {
    return this.#scan(false);
  }

  /** Starts every queued record whose key is free, up to the concurrency. */
  startReady(): void {
    this.#scan(true);
  }

  #scan(start: boolean): boolean {
    if (this.#running >= this.concurrency) return false;
    const busy = new Set<string | null>();
    for (const slot of this.#slots) {
      if (slot.state === 'done' || busy.has(slot.key)) continue;
      busy.add(slot.key);
      if (slot.state !== 'queued') continue;
      if (!start) return true;
      slot.state = 'running';
      this.#running++;
      void this.#hooks.run(slot).then((handled) => this.#finished(slot, handled));
      if (this.#running >= this.concurrency) return true;
    }
    return false;
  }

  #finished(slot: WindowSlot, handled: boolean): void {
    this.#running--;
    if (slot.parked) {
      slot.parked = false;
      this.#parked--;
    }
    slot.state = handled ? 'done' : 'abandoned';
    while (this.#slots.length > 0 && this.#slots[0].state === 'done') {
      this.#hooks.complete(this.#slots.shift() as WindowSlot);
    }
    this.#hooks.changed();
  }
}
