import type { Activity } from '../../clock/activity';
import { runInActivity } from '../../clock/activity';
import type { Clock } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import type { Logger } from '../../logging/logger';
import { eachRecord } from '../each-record';
import { KeyOrderedWindow, type WindowSlot } from '../key-ordered-window';
import { redeliveryDelayMs } from '../redelivery-backoff';
import type { DeliveredRecord, RecordBatch, RecordOutput } from '../transport';
import { BufferedOutput } from './buffered-output';
import type { MemoryPartition } from './memory-partition';
import type { PumpHooks, PumpOptions, PumpState } from './pump-hooks';

export { BufferedOutput } from './buffered-output';

/** Records handed over in one RecordBatch at most: a stop or seek waits for none of them. */
const MAX_BATCH_RECORDS = 1_000;

/**
 * Feeds one assigned partition to a member in offset order: one record at a time, or with
 * `concurrency` above 1 records of different keys at once (KeyOrderedWindow). A record is
 * committed only after its handler resolved, and never past an unfinished one; a rejection
 * delivers the same record again after a backoff. State changes are reported synchronously so the
 * broker always knows whether anything is in flight.
 *
 * One record at a time, the pump is itself the RecordBatch it hands over: the subscriber calls
 * `output`, `handled` and `halted` per record, and methods are one function for every partition
 * where closures made per pump were one each (call sites V8 inlines less as partitions grow).
 */
export class PartitionPump implements Activity, RecordBatch {
  readonly partition: MemoryPartition;
  /** The batch being handed over: the records already in the log from the position on. */
  records: readonly DeliveredRecord[] = [];
  #state: PumpState = 'waiting';
  #position: number;
  /** Index in the log of the record at #position (a hint: compaction may move it). */
  #index = 0;
  #seekTo: number | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #unsubscribe: () => void;
  #done: Promise<void> | undefined;
  readonly #stopped = new AbortController();
  readonly #hooks: PumpHooks;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: PumpOptions;
  /**
   * Only a manual clock asks what is waiting on it. Tracking activities costs an async-context
   * store on every promise of the process, so with a system clock the pump does without.
   */
  readonly #tracksActivity: boolean;
  #window: KeyOrderedWindow | undefined;
  /** Failed attempts at the record after the position, for the redelivery backoff. */
  #failures = 0;
  /** The record given an output last, and that output: an exactly-once output commits with it. */
  #lentTo: DeliveredRecord | undefined;
  #lent: RecordOutput | undefined;
  /** The last record handled whose offset waits for the end of its batch. */
  #uncommitted: DeliveredRecord | undefined;

  constructor(
    partition: MemoryPartition,
    position: number,
    hooks: PumpHooks,
    clock: Clock,
    logger: Logger,
    options: PumpOptions,
  ) {
    this.partition = partition;
    this.#position = position;
    this.#hooks = hooks;
    this.#clock = clock;
    this.#logger = logger;
    this.#options = options;
    this.#tracksActivity = clock instanceof ManualClock;
    this.#unsubscribe = partition.onAppend(() => this.#onAppend());
    if (partition.next(position) !== undefined) this.#state = 'running';
  }

  get state(): PumpState {
    return this.#state;
  }

  get position(): number {
    return this.#position;
  }

  start(): void {
    if (this.#done !== undefined) return;
    if (this.#options.concurrency > 1) {
      this.#window = new KeyOrderedWindow(this.#options.concurrency, {
        run: (slot) => this.#runSlot(slot),
        complete: (slot) => this.#complete(slot.record, slot.output),
        changed: () => this.#windowChanged(),
      });
      this.#done = this.#runWindowed();
    } else {
      this.#done = this.#tracksActivity
        ? runInActivity(this, () => this.#runSerial())
        : this.#runSerial();
    }
  }

  seek(offset: number): void {
    this.#seekTo = offset;
    if (this.#state === 'waiting') this.#setState('running');
    this.#signal();
  }

  /** Stops after the in-flight records (if any) are handled and committed. */
  stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe();
    this.#stopped.abort();
    this.#signal();
    return this.#done ?? Promise.resolve();
  }

  park(): void {
    if (this.#state === 'running') this.#setState('parked');
  }

  unpark(): void {
    if (this.#state === 'parked') this.#setState('running');
  }

  #onAppend(): void {
    if (this.#state === 'waiting' && !this.#stopping) this.#setState('running');
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #sleep(): Promise<void> {
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** The next record at or after the position, without a search per record. */
  #next(): DeliveredRecord | undefined {
    this.#index = this.partition.indexAtOrAfter(this.#position, this.#index);
    return this.partition.at(this.#index);
  }

  #reachedEnd(): void {
    this.#hooks.reachedEnd?.(
      this.partition.topic,
      this.partition.partition,
      this.partition.endOffset,
    );
  }

  output(record: DeliveredRecord): RecordOutput {
    this.#lentTo = record;
    this.#lent = this.#options.output();
    return this.#lent;
  }

  handled(record: DeliveredRecord): void {
    const output = record === this.#lentTo ? this.#lent : undefined;
    this.#lentTo = this.#lent = undefined;
    // An exactly-once record's outputs land with its offset; plain offsets wait for the batch.
    if (output instanceof BufferedOutput) this.#complete(record, output);
    else this.#uncommitted = record;
    this.#position = record.offset + 1;
    this.#index++;
    this.#failures = 0;
  }

  halted(): boolean {
    return this.#stopping || this.#seekTo !== undefined;
  }

  /**
   * One record at a time: the records already in the log go to the subscriber together (the pump
   * as the RecordBatch); each one it reports handled moves the position past it, and is committed
   * at once with an exactly-once output, else when the batch ends.
   */
  async #runSerial(): Promise<void> {
    const { handle, handleBatch = (batch) => eachRecord(handle, batch) } = this.#hooks;
    while (!this.#stopping) {
      if (this.#seekTo !== undefined) {
        this.#position = this.#seekTo;
        this.#seekTo = undefined;
      }
      this.#index = this.partition.indexAtOrAfter(this.#position, this.#index);
      this.records = this.partition.slice(this.#index, MAX_BATCH_RECORDS);
      if (this.records.length === 0) {
        this.#reachedEnd();
        this.#setState('waiting');
        await this.#sleep();
        continue;
      }
      this.#setState('running');
      let failure: { error: unknown } | undefined;
      try {
        await handleBatch(this);
      } catch (error) {
        failure = { error };
      }
      // What was handled is committed before any backoff.
      const uncommitted = this.#uncommitted;
      this.#uncommitted = undefined;
      if (uncommitted !== undefined) this.#hooks.complete(uncommitted, undefined);
      if (failure !== undefined) {
        this.#warn(this.#next() ?? this.records[0], ++this.#failures, failure.error);
        await this.#backoff(redeliveryDelayMs(this.#failures));
      }
    }
    this.records = [];
    this.#setState('stopped');
  }

  async #runWindowed(): Promise<void> {
    const window = this.#window as KeyOrderedWindow;
    while (!this.#stopping) {
      if (this.#seekTo !== undefined && window.running === 0) {
        window.clear();
        this.#position = this.#seekTo;
        this.#seekTo = undefined;
      }
      if (this.#seekTo === undefined) {
        for (let record = this.#next(); record !== undefined && window.hasRoom;) {
          window.add(record, this.#options.output());
          this.#position = record.offset + 1;
          this.#index++;
          record = this.#next();
        }
        window.startReady();
      }
      if (window.isEmpty) {
        this.#reachedEnd();
        this.#setState('waiting');
      } else {
        this.#windowChanged();
      }
      await this.#sleep();
    }
    while (window.running > 0) await this.#sleep();
    this.#setState('stopped');
  }

  /** One record of the window, retried after a backoff until it succeeds or the pump stops. */
  #runSlot(slot: WindowSlot): Promise<boolean> {
    const work = async (): Promise<boolean> => {
      for (;;) {
        try {
          await this.#hooks.handle(slot.record, slot.output);
          return true;
        } catch (error) {
          slot.failures++;
          this.#warn(slot.record, slot.failures, error);
          await this.#backoff(redeliveryDelayMs(slot.failures));
          // Stopping or seeking: leave it uncommitted, to be delivered again.
          if (this.#stopping || this.#seekTo !== undefined) return false;
        }
      }
    };
    return this.#tracksActivity ? runInActivity(slot, work) : work();
  }

  #windowChanged(): void {
    const window = this.#window;
    if (window === undefined) return;
    const more = window.hasRoom && this.#seekTo === undefined && this.#next() !== undefined;
    // Parked only when every running record waits on the clock and nothing else could start.
    const parked = window.running > 0 && window.active === 0 && !window.startable && !more;
    this.#setState(parked ? 'parked' : 'running');
    this.#signal();
  }

  #complete(record: DeliveredRecord, output: RecordOutput | undefined): void {
    this.#hooks.complete(record, output instanceof BufferedOutput ? output : undefined);
  }

  #warn(record: DeliveredRecord, failures: number, error: unknown): void {
    this.#logger.warn('handler rejected a record; it will be delivered again', {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      failures,
      error,
    });
  }

  async #backoff(ms: number): Promise<void> {
    await this.#clock.sleep(ms, this.#stopped.signal);
    if (this.#state === 'parked' && this.#window === undefined) this.#setState('running');
  }

  #setState(state: PumpState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#hooks.stateChanged();
  }
}
