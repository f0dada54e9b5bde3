import type { RecordGate } from '../../codec/record-gate';
import type { TopicCodec } from '../../codec/topic-codec';
import type { Logger } from '../../logging/logger';
import { RateLimitedLogger } from '../../logging/rate-limited-logger';
import type { TopicKey } from '../../model/topics/key-serde';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { DeliveredRecord, TopicPartition, Transport } from '../../transport/transport';
import { restoreChangelog } from '../changelog-restorer';
import type { RestoreTracker } from '../restore-progress';
import { applyTableRecord, SkippedRecords } from './apply-table-record';
import type { MaterializedTable } from './materialized-table';

/**
 * Keeps a partitioned table in step with its service's consumer group: the table's topic is part
 * of the group's subscription, so partition i of it is assigned with partition i of the inputs.
 * On assignment the new partitions are read from the beginning before any record is handled; the
 * group then delivers their later records, and whatever the restore already applied is skipped.
 * On revocation their rows are dropped: another instance holds them now.
 */
export class PartitionedTableSync {
  readonly topic: TopicDefinition;
  readonly #table: MaterializedTable<TopicKey, unknown>;
  readonly #transport: Transport;
  readonly #values: TopicCodec;
  readonly #logger: Logger;
  readonly #liveLogger: Logger;
  readonly #newTracker: () => RestoreTracker | undefined;
  readonly #gate: RecordGate | undefined;
  #held = new Set<number>();
  #restoring = 0;

  constructor(
    topic: TopicDefinition,
    table: MaterializedTable<TopicKey, unknown>,
    transport: Transport,
    values: TopicCodec,
    logger: Logger,
    newTracker: () => RestoreTracker | undefined = () => undefined,
    gate?: RecordGate,
  ) {
    this.#gate = gate;
    this.#newTracker = newTracker;
    this.topic = topic;
    this.#table = table;
    this.#transport = transport;
    this.#values = values;
    this.#logger = logger;
    // The group reads again what the restore already read, unreadable records included: one
    // error per interval for those, with a count, rather than one per record.
    this.#liveLogger = new RateLimitedLogger(logger);
  }

  get ready(): boolean {
    return this.#restoring === 0;
  }

  heldPartitions(): number[] {
    return [...this.#held].sort((a, b) => a - b);
  }

  /** Restores the newly assigned partitions; `signal` abandons the restore (the service stops). */
  async assigned(assignment: readonly TopicPartition[], signal?: AbortSignal): Promise<void> {
    const fresh = assignment
      .filter((tp) => tp.topic === this.topic.name && !this.#held.has(tp.partition))
      .map((tp) => tp.partition);
    this.#restoring++;
    const skipped = new SkippedRecords();
    try {
      await restoreChangelog(
        this.#transport,
        this.topic.name,
        fresh,
        (record) =>
          applyTableRecord(
            this.topic,
            this.#table,
            this.#values,
            this.#logger,
            record,
            this.#gate,
            skipped,
          ),
        // Records past the read_committed end come through the group afterwards.
        { tracker: this.#newTracker(), end: 'stable', signal },
      );
      for (const partition of fresh) this.#held.add(partition);
    } finally {
      this.#restoring--;
      skipped.report(this.#logger, this.topic.name);
    }
  }

  async revoked(revoked: readonly TopicPartition[]): Promise<void> {
    const drops: Promise<void>[] = [];
    for (const { topic, partition } of revoked) {
      if (topic !== this.topic.name) continue;
      this.#held.delete(partition);
      drops.push(this.#table.store.dropPartition(partition));
    }
    await Promise.all(drops);
  }

  /** Applies a record of the table's topic unless the restore already did. */
  async apply(record: DeliveredRecord): Promise<void> {
    await applyTableRecord(
      this.topic,
      this.#table,
      this.#values,
      this.#liveLogger,
      record,
      this.#gate,
    );
  }
}
