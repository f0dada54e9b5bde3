import type { RecordGate } from '../../codec/record-gate';
import type { TopicCodec } from '../../codec/topic-codec';
import { RestoreAbandonedError } from '../../errors/restore-abandoned-error';
import type { Logger } from '../../logging/logger';
import type { TopicKey } from '../../model/topics/key-serde';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type {
  DeliveredRecord,
  Subscription,
  TopicPartition,
  Transport,
} from '../../transport/transport';
import type { RestoreTracker } from '../restore-progress';
import { applyTableBatch, type TableBatchTarget } from './apply-table-batch';
import { applyTableRecord, SkippedRecords } from './apply-table-record';
import type { MaterializedTable } from './materialized-table';

/** One settled promise for every record applied synchronously. */
const DONE: Promise<void> = Promise.resolve();
/**
 * Feeds a global table: every partition of its topic, on every instance. It reads with a consumer
 * group used by this one feeder only (a new id per start), never from an offset some other reader
 * committed: each partition starts at the table store's position, which is the log start for a
 * memory store (rebuilt from the log) and where it stopped for a persistent one (resumed).
 * Records below the store's position are skipped, so none is applied twice to a store.
 * `start()` resolves once the table has caught up with the end offsets that existed at start;
 * until then `tracker` (when given) is told how far it got, for restore progress.
 */
export class TableFeeder<K extends TopicKey, V> {
  readonly #topic: TopicDefinition<V, K>;
  readonly #table: MaterializedTable<K, V>;
  readonly #transport: Transport;
  readonly #groupId: string;
  readonly #logger: Logger;
  readonly #values: TopicCodec;
  readonly #tracker: RestoreTracker | undefined;
  readonly #gate: RecordGate | undefined;
  #subscription: Subscription | undefined;
  #target: number[] = [];
  /** Log start offsets at start: where a partition the store holds nothing of begins. */
  #starts: readonly number[] = [];
  /** Positions the transport reported past records that carry no row (markers, compaction). */
  readonly #reached = new Map<number, number>();
  #caughtUp: (() => void) | undefined;
  /** Ends a catch-up that stop() cut short: start() rejects instead of waiting forever. */
  #abandon: ((error: Error) => void) | undefined;
  #stopped = false;
  /** Set once start() issued the seeks to the store's positions. */
  #seeksIssued = false;
  /** Unreadable records met while catching up, logged once when caught up. */
  readonly #skipped = new SkippedRecords();
  /** Where a fetched batch goes (the Kafka transports hand over batches). */
  readonly #batchTarget: TableBatchTarget<K, V>;

  constructor(
    topic: TopicDefinition<V, K>,
    table: MaterializedTable<K, V>,
    transport: Transport,
    groupId: string,
    logger: Logger,
    values: TopicCodec,
    tracker?: RestoreTracker,
    gate?: RecordGate,
  ) {
    this.#tracker = tracker;
    this.#gate = gate;
    this.#topic = topic;
    this.#table = table;
    this.#transport = transport;
    this.#groupId = groupId;
    this.#logger = logger;
    this.#values = values;
    this.#batchTarget = { topic, table, values, logger, gate };
  }

  /** True once every partition reached the end offset it had when the feeder started. */
  get ready(): boolean {
    return this.#target.every((end, partition) => this.#position(partition) >= end);
  }

  /** Per partition: end offset at start minus what has been applied (0 when caught up). */
  lag(): { partition: number; lag: number }[] {
    return this.#target.map((end, partition) => ({
      partition,
      lag: Math.max(0, end - this.#position(partition)),
    }));
  }

  async start(): Promise<void> {
    // Made first, so that a stop() at any point of the start ends it (RestoreAbandonedError).
    const caughtUp = new Promise<void>((resolve, reject) => {
      this.#caughtUp = resolve;
      this.#abandon = reject;
    });
    caughtUp.catch(() => undefined);
    const [ends, starts] = await Promise.all([
      this.#transport.endOffsets(this.#topic.name),
      this.#transport.startOffsets(this.#topic.name),
    ]);
    this.#target = ends;
    this.#starts = starts;
    await this.#discardOutOfRange(starts, ends);
    if (this.#stopped) return caughtUp;
    this.#beginTracking(ends);
    let seeksIssued!: () => void;
    const resumed = new Promise<void>((resolve) => (seeksIssued = resolve));
    this.#subscription = await this.#transport.subscribe({
      groupId: this.#groupId,
      topics: [this.#topic.name],
      offsetReset: 'earliest',
      // A later assignment (a Kafka member that re-joined) continues at the store's positions too.
      onAssigned: (partitions) => this.#seekToStore(partitions, 'every partition'),
      onPosition: (_topic, partition, nextOffset) => {
        this.#reached.set(partition, Math.max(nextOffset, this.#reached.get(partition) ?? 0));
        this.#tracker?.advance(partition, nextOffset);
        this.#checkCaughtUp();
      },
      // The first assignment starts before subscribe() returns the handle that seeks: its first
      // records wait for the seeks below, and whatever was read before them is skipped here.
      handle: (record) => {
        if (!this.#seeksIssued) return resumed.then(() => this.#feed(record));
        return this.#feed(record);
      },
      readBatch: (records) => {
        if (!this.#seeksIssued) return resumed.then(() => this.#feedBatch(records));
        return this.#feedBatch(records);
      },
    });
    if (this.#stopped) {
      await this.#subscription.stop();
      return caughtUp;
    }
    // A new group starts at the log start: only partitions the store holds need a seek.
    this.#seekToStore(this.#subscription.assignment(), 'resumed partitions');
    this.#seeksIssued = true;
    seeksIssued();
    this.#checkCaughtUp();
    await caughtUp;
  }

  /**
   * Applies one record; no promise of its own unless decoding needs the registry or the store is
   * behind with its writes (backpressure).
   */
  #feed(record: DeliveredRecord): Promise<void> {
    const restoring = this.#caughtUp !== undefined ? this.#skipped : undefined;
    const applied = applyTableRecord(
      this.#topic,
      this.#table,
      this.#values,
      this.#logger,
      record,
      this.#gate,
      restoring,
    );
    if (applied instanceof Promise) return applied.then(() => this.#passed(record));
    this.#passed(record);
    return this.#table.store.backpressure() ?? DONE;
  }

  /** Applies a fetched batch in one call: progress and the caught-up check once per batch. */
  #feedBatch(records: readonly DeliveredRecord[]): void | Promise<void> {
    const last = records[records.length - 1];
    if (last === undefined) return;
    const restoring = this.#caughtUp !== undefined ? this.#skipped : undefined;
    const applied = applyTableBatch(this.#batchTarget, records, restoring);
    if (applied instanceof Promise) return applied.then(() => this.#passed(last));
    this.#passed(last);
  }

  /** A skipped record moves no store position, but the feeder is past it all the same. */
  #passed(record: DeliveredRecord): void {
    this.#reached.set(
      record.partition,
      Math.max(record.offset + 1, this.#reached.get(record.partition) ?? 0),
    );
    this.#tracker?.advance(record.partition, record.offset + 1);
    this.#checkCaughtUp();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    // No effect once caught up: the promise was settled then.
    this.#abandon?.(new RestoreAbandonedError(this.#topic.name));
    this.#caughtUp = undefined;
    await this.#subscription?.stop();
    this.#subscription = undefined;
  }

  /**
   * Continues each partition after the last record the store applied, or at the log start when it
   * applied none, whatever offsets the group committed meanwhile.
   */
  #seekToStore(
    partitions: readonly TopicPartition[],
    which: 'every partition' | 'resumed partitions',
  ): void {
    // Undefined during the first assignment: start() seeks once subscribe() has returned.
    const subscription = this.#subscription;
    if (subscription === undefined) return;
    const positions = this.#table.store.positions();
    for (const { topic, partition } of partitions) {
      const position = positions.get(partition);
      if (topic !== this.#topic.name || (position === undefined && which !== 'every partition'))
        continue;
      const offset = position ?? this.#starts[partition] ?? 0;
      try {
        subscription.seek(topic, partition, offset);
      } catch (error) {
        // Still correct without it: records below the store's position are skipped, not applied.
        this.#logger.warn('could not seek a table partition to its stored position', {
          topic,
          partition,
          offset,
          error,
        });
      }
    }
  }

  /**
   * A stored position past the log's end (the topic was deleted and created again) or before its
   * start (records were deleted before the store applied them) does not describe this log: the
   * store is cleared and the topic read from its start.
   */
  async #discardOutOfRange(starts: readonly number[], ends: readonly number[]): Promise<void> {
    const store = this.#table.store;
    for (const [partition, position] of store.positions()) {
      const start = starts[partition] ?? 0;
      const end = ends[partition] ?? 0;
      if (position >= start && position <= end) continue;
      this.#logger.warn('the stored table does not match its log; rebuilding it from offset 0', {
        topic: this.#topic.name,
        partition,
        position,
        startOffset: start,
        endOffset: end,
      });
      await store.clear();
      return;
    }
  }

  #position(partition: number): number {
    return Math.max(
      this.#table.store.positions().get(partition) ?? 0,
      this.#reached.get(partition) ?? 0,
    );
  }

  /** From where each partition resumes to the end it had at start; nothing to read, no report. */
  #beginTracking(ends: readonly number[]): void {
    if (this.#tracker === undefined || this.ready) return;
    // A partition the store holds nothing of starts at the log start, not at offset 0.
    const from = new Map(
      ends.map((_, partition) => [
        partition,
        Math.max(this.#position(partition), this.#starts[partition] ?? 0),
      ]),
    );
    this.#tracker.begin(from, new Map(ends.map((end, partition) => [partition, end])));
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp !== undefined && this.ready) {
      this.#tracker?.finish();
      this.#skipped.report(this.#logger, this.#topic.name);
      this.#caughtUp();
      this.#caughtUp = undefined;
    }
  }
}
