import type { Clock } from '../clock/clock';
import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import { ReplicaFencedError } from '../errors/replica-fenced-error';
import type { Logger } from '../logging/logger';
import { replicaGroupName } from '../model/consumer-group-names';
import { type ReplicaMetadata, replicaTopics } from '../model/service/replica-metadata';
import type { DeadLetterReason } from '../runtime/dead-letter-record';
import type {
  DeliveredRecord,
  RecordOutput,
  SeekPartition,
  Subscription,
  TopicPartition,
  Transport,
} from '../transport/transport';
import { ReplicaAssignment, sameOffsets } from './replica-assignment';
import { type ReplicaChanges, replicaChanges } from './replica-changes';
import type { ReplicaDatabase } from './replica-database';
import { ReplicaDeadLetters } from './replica-dead-letters';
import { ReplicaHealth, type ReplicaStatus } from './replica-health';
import { ReplicaPending } from './replica-pending';
import { replicaChange } from './replica-record';
import { readOffsets, type TopicOffsetMap, writeBatch } from './replica-table';
import { type ReplicaVersion, versionMetadata } from './replica-versions';

export interface ReplicaFeederOptions {
  readonly service: string;
  readonly replica: ReplicaMetadata;
  /** The version live when the feeder starts, built under this feeder's mapping. */
  readonly live: ReplicaVersion;
  readonly transport: Transport;
  readonly database: ReplicaDatabase;
  readonly values: TopicCodec;
  readonly gate: RecordGate;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Rows pending before a batch is written at once, and before a record waits for the batch in
   * the database (default 50,000: fewer, larger transactions, and on kafkajs, whose next fetch
   * waits for every handler of the last one, fewer stalls; bench/RESULTS.md).
   */
  readonly maxPendingRows?: number;
  /** How often pending rows are written when fewer arrive (default 100 ms). */
  readonly flushIntervalMs?: number;
}

export type { ReplicaStatus } from './replica-health';

/**
 * Keeps one replica table in step with its topic. Records are decoded and checked like a handler's
 * input (what does not belong goes to the dead-letter topic), gathered per key, and written in
 * batches: one transaction each, with every partition's next offset. On assignment the partitions
 * continue from the offsets in the database, never the group's: its commits only say how far the
 * replica read, not what the database holds. While the database fails, records wait and the
 * replica reports not ready; nothing is skipped.
 *
 * It writes the live version's table. A rebuild that switches readers to a new version builds it
 * exactly up to the offsets the live version holds at the switch (see replica-rebuild.ts), so when
 * a batch finds another version live it moves to that version's table, whose offsets are the ones
 * its pending rows start from, and writes them there: no row lost, none applied twice. A new
 * version built under another mapping is not written by this (older) code: it stops writing and
 * reports not ready until it is replaced.
 */
export class ReplicaFeeder {
  readonly #options: ReplicaFeederOptions;
  readonly #changes: ReplicaChanges<unknown>;
  readonly #pending: ReplicaPending<unknown>;
  /** The input topics; partition n of all of them is one unit of work (co-partitioned). */
  readonly #topics: readonly string[];
  readonly #assignment: ReplicaAssignment;
  readonly #deadLetters: ReplicaDeadLetters;
  readonly #maxPending: number;
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  readonly #health: ReplicaHealth;
  #live: ReplicaVersion;
  #target: ReplicaMetadata;
  /** Per partition, how often it was sought back: a record in hand before then comes again. */
  readonly #rewinds = new Map<number, number>();
  #outdated: string | undefined;

  constructor(options: ReplicaFeederOptions) {
    this.#options = options;
    this.#changes = replicaChanges(options.replica);
    this.#pending = new ReplicaPending(this.#changes.rules);
    this.#topics = replicaTopics(options.replica).map((topic) => topic.name);
    this.#assignment = new ReplicaAssignment(this.#topics);
    this.#deadLetters = new ReplicaDeadLetters({
      ...options,
      property: options.replica.property,
    });
    this.#health = new ReplicaHealth(options.logger, options.replica.table);
    this.#maxPending = options.maxPendingRows ?? 50_000;
    this.#live = options.live;
    this.#target = versionMetadata(options.replica, options.live.version);
  }

  get table(): string {
    return this.#options.replica.table;
  }

  status(): ReplicaStatus {
    const name = `replica ${this.table}`;
    if (this.#subscription === undefined) return { name, ready: false, detail: 'not started' };
    if (this.#outdated !== undefined) return { name, ready: false, detail: this.#outdated };
    const problem = this.#health.problem;
    if (problem !== undefined) return { name, ready: false, detail: problem };
    return { name, ready: true, detail: `${this.#pending.size} row(s) pending` };
  }

  async start(): Promise<void> {
    const { replica, transport, service } = this.#options;
    this.#subscription = await transport.subscribe({
      groupId: replicaGroupName(service, replica.table),
      topics: this.#topics,
      offsetReset: 'earliest',
      handle: (record, output) => this.#handle(record, output),
      onAssigned: (partitions, seek) => this.#assigned(partitions, seek),
      onRevoked: (partitions) => this.#revoked(partitions),
    });
    const interval = this.#options.flushIntervalMs ?? 100;
    this.#timer = setInterval(() => {
      if (this.#pending.dirty) this.flush().catch(() => undefined);
    }, interval);
    this.#timer.unref();
  }

  /** Stops reading; what was taken in is written first (onRevoked), as far as the database lets. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#subscription?.stop();
  }

  /** Writes what is pending now; at most one batch is written at a time. */
  flush(): Promise<void> {
    this.#writing ??= this.#write().finally(() => {
      this.#writing = undefined;
    });
    return this.#writing;
  }

  async #write(): Promise<void> {
    if (this.#outdated !== undefined) return;
    const batch = this.#pending.drain();
    if (batch.length === 0) return;
    try {
      const target = this.#target;
      const moved = await writeBatch(
        this.#options.database,
        target,
        batch,
        { table: this.table, version: this.#live.version },
        // A fold that throws dead-letters its record before the batch commits (a crash in
        // between can write it twice, never lose it).
        this.#changes.resolver(target, (step, error) =>
          this.#deadLetters.write(step.record, 'handler-failed', error),
        ),
      );
      if (moved !== undefined) {
        this.#pending.restore(batch);
        await this.#follow(moved);
        return;
      }
      this.#pending.written(batch);
      this.#health.recovered();
    } catch (error) {
      if (error instanceof ReplicaFencedError) {
        for (const partition of error.partitions) this.#pending.revoke(partition);
        this.#pending.restore(batch);
        this.#options.logger.warn(error.message, { table: this.table });
        return;
      }
      this.#pending.restore(batch);
      this.#health.failed(error);
      throw error;
    }
  }

  /** Another version became live: write its table from its offsets, or stop if not ours. */
  async #follow(live: ReplicaVersion): Promise<void> {
    const { logger, replica } = this.#options;
    if (live.fingerprint !== this.#live.fingerprint) {
      this.#outdated = `version ${live.version} is live now, built by another mapping than this instance's: replace this instance by one running the new code`;
      logger.error(`replica stopped writing: ${this.#outdated}`, { table: this.table });
      return;
    }
    const target = versionMetadata(replica, live.version);
    const assigned = this.#pending.partitions();
    const stored = await readOffsets(this.#options.database, target, assigned);
    this.#live = live;
    this.#target = target;
    for (const partition of assigned) {
      const offsets = stored.get(partition) ?? new Map<string, number>();
      // Equal is the rule (the new version was built up to the live one's offsets); anything else
      // means this instance's view of the partition is stale: read it again from there.
      if (sameOffsets(this.#pending.storedOffsets(partition), offsets, this.#topics)) continue;
      this.#rewinds.set(partition, (this.#rewinds.get(partition) ?? 0) + 1);
      this.#take(partition, offsets, (topic, offset) =>
        this.#subscription?.seek(topic, partition, offset),
      );
    }
    logger.info(`replica writes version ${live.version} (${target.table}) now`, {
      table: this.table,
    });
  }

  /**
   * Partition n is taken up once partition n of every input is assigned here (the co-partitioning
   * assignors hand them out together): its rows fold records of all inputs, so one writer holds
   * them all. Each input continues from the offset the database holds for it.
   */
  async #assigned(partitions: readonly TopicPartition[], seek: SeekPartition): Promise<void> {
    const given = new Set(partitions.map((tp) => `${tp.topic}/${tp.partition}`));
    const { complete, waiting } = this.#assignment.add(partitions);
    if (waiting.length > 0) {
      this.#options.logger.warn(
        'replica inputs assigned here without the same partition of its other inputs: they wait until all are',
        { table: this.table, partitions: waiting.map((tp) => `${tp.topic}/${tp.partition}`) },
      );
    }
    if (complete.length === 0) return;
    let stored: Map<number, TopicOffsetMap>;
    try {
      stored = await readOffsets(this.#options.database, this.#target, complete);
    } catch (error) {
      this.#health.failed(error);
      throw error;
    }
    this.#health.recovered();
    for (const partition of complete) {
      this.#take(partition, stored.get(partition) ?? new Map<string, number>(), (topic, offset) => {
        if (given.has(`${topic}/${partition}`)) seek(topic, partition, offset);
        else this.#subscription?.seek(topic, partition, offset);
      });
    }
  }

  /** Holds partition `partition` of every input from `offsets`, and moves each input there. */
  #take(
    partition: number,
    offsets: ReadonlyMap<string, number>,
    seek: (topic: string, offset: number) => void,
  ): void {
    const full = new Map(this.#topics.map((topic) => [topic, offsets.get(topic) ?? 0]));
    this.#pending.assign(partition, full);
    for (const [topic, offset] of full) seek(topic, offset);
  }

  async #revoked(partitions: readonly TopicPartition[]): Promise<void> {
    try {
      // Another instance continues from the stored offsets: write what is here first, so it
      // does not read again what this one already took in. An outdated instance writes nothing:
      // the new version's writer reads those records itself.
      while (this.#pending.dirty && this.#outdated === undefined) await this.flush();
    } finally {
      this.#assignment.remove(partitions);
      for (const tp of partitions) this.#pending.revoke(tp.partition);
    }
  }

  async #handle(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    // Outdated, nothing is written, so nothing is kept: the new version's writer reads these
    // records from the offsets in the database, whatever this group commits.
    if (this.#outdated !== undefined) return;
    if (!this.#pending.accepts(record.topic, record.partition, record.offset)) return;
    if (this.#pending.size >= this.#maxPending) {
      if (this.#writing === undefined && this.#health.problem === undefined) {
        // A full batch starts writing while the next one gathers: reading and the database's
        // work overlap. Its failure is recorded and its rows restored by #write.
        this.flush().catch(() => undefined);
      } else {
        // Back-pressure: one batch in the database and one full at hand (or the database
        // failing): the record waits until the batch is written, or is delivered again.
        const rewinds = this.#rewinds.get(record.partition);
        await this.flush();
        if (rewinds !== this.#rewinds.get(record.partition)) return;
      }
    }
    const { replica, values, gate } = this.#options;
    const change = await replicaChange(replica, values, gate, record);
    if (change.kind === 'bad') return this.#deadLetter(record, output, change.reason, change.error);
    const pending = this.#changes.pendingOf(change, record);
    this.#pending.take(record.topic, record.partition, record.offset, change.key, pending);
  }

  async #deadLetter(
    record: DeliveredRecord,
    output: RecordOutput,
    reason: DeadLetterReason,
    error: unknown,
  ): Promise<void> {
    await this.#deadLetters.write(record, reason, error, output);
    // Only the offset moves: the dead letter holds the record, the table is unchanged.
    this.#pending.take(record.topic, record.partition, record.offset, '');
  }
}
