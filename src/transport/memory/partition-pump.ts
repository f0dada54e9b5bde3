import type { Activity } from '../../clock/activity';
import { runInActivity } from '../../clock/activity';
import type { Clock } from '../../clock/clock';
import type { Logger } from '../../logging/logger';
import { redeliveryDelayMs } from '../redelivery-backoff';
import type { DeliveredRecord, OutgoingRecord, RecordOutput } from '../transport';
import type { MemoryPartition } from './memory-partition';

export type PumpState = 'running' | 'waiting' | 'parked' | 'stopped';

export interface PumpHooks {
  readonly handle: (record: DeliveredRecord, output: RecordOutput) => Promise<void>;
  /** Called after a record's handler resolved, with the buffered output of an exactly-once handler. */
  readonly complete: (record: DeliveredRecord, transactional: BufferedOutput | undefined) => void;
  readonly stateChanged: () => void;
  /** The pump reached the end of its partition: its position is the end offset. */
  readonly reachedEnd?: (topic: string, partition: number, endOffset: number) => void;
}

/** Collects an exactly-once handler's records; they are appended only when its offset commits. */
export class BufferedOutput implements RecordOutput {
  readonly pending: { topic: string; records: readonly OutgoingRecord[] }[] = [];
  readonly #validate: (topic: string, records: readonly OutgoingRecord[]) => void;

  constructor(validate: (topic: string, records: readonly OutgoingRecord[]) => void) {
    this.#validate = validate;
  }

  produce(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    this.#validate(topic, records);
    this.pending.push({ topic, records });
    return Promise.resolve();
  }
}

/**
 * Feeds one assigned partition to a member, one record at a time, in offset order. A record is
 * committed only after its handler resolved; a rejection delivers the same record again after a
 * backoff. State changes are reported synchronously so the broker always knows whether anything
 * is in flight.
 */
export class PartitionPump implements Activity {
  readonly partition: MemoryPartition;
  #state: PumpState = 'waiting';
  #position: number;
  #seekTo: number | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #unsubscribe: () => void;
  #done: Promise<void> | undefined;
  readonly #stopped = new AbortController();
  readonly #hooks: PumpHooks;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #output: () => RecordOutput | BufferedOutput;

  constructor(
    partition: MemoryPartition,
    position: number,
    hooks: PumpHooks,
    clock: Clock,
    logger: Logger,
    output: () => RecordOutput | BufferedOutput,
  ) {
    this.partition = partition;
    this.#position = position;
    this.#hooks = hooks;
    this.#clock = clock;
    this.#logger = logger;
    this.#output = output;
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
    this.#done ??= this.#run();
  }

  seek(offset: number): void {
    this.#seekTo = offset;
    if (this.#state === 'waiting') this.#setState('running');
    this.#wake?.();
  }

  /** Stops after the in-flight record (if any) is handled and committed. */
  stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe();
    this.#stopped.abort();
    this.#wake?.();
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
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      if (this.#seekTo !== undefined) {
        this.#position = this.#seekTo;
        this.#seekTo = undefined;
      }
      const record = this.partition.next(this.#position);
      if (record === undefined) {
        this.#hooks.reachedEnd?.(
          this.partition.topic,
          this.partition.partition,
          this.partition.endOffset,
        );
        this.#setState('waiting');
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      this.#setState('running');
      const output = this.#output();
      try {
        await runInActivity(this, () => this.#hooks.handle(record, output));
        this.#hooks.complete(record, output instanceof BufferedOutput ? output : undefined);
        this.#position = record.offset + 1;
        failures = 0;
      } catch (error) {
        failures++;
        this.#logger.warn('handler rejected a record; it will be delivered again', {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          failures,
          error,
        });
        await this.#backoff(redeliveryDelayMs(failures));
      }
    }
    this.#setState('stopped');
  }

  async #backoff(ms: number): Promise<void> {
    await runInActivity(this, () => this.#clock.sleep(ms, this.#stopped.signal));
    if (this.#state === 'parked') this.#setState('running');
  }

  #setState(state: PumpState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#hooks.stateChanged();
  }
}
