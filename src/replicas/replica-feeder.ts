import type { Clock } from '../clock/clock';
import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import { ReplicaFencedError } from '../errors/replica-fenced-error';
import type { Logger } from '../logging/logger';
import { replicaGroupName } from '../model/consumer-group-names';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeadLetterReason } from '../runtime/dead-letter-record';
import { DeadLetterWriter } from '../runtime/dead-letter-writer';
import type {
  DeliveredRecord,
  RecordOutput,
  SeekPartition,
  Subscription,
  TopicPartition,
  Transport,
} from '../transport/transport';
import type { ReplicaDatabase } from './replica-database';
import { ReplicaPending } from './replica-pending';
import { replicaChange } from './replica-record';
import { readOffsets, writeBatch } from './replica-table';
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
  /** Rows pending before a record waits for the batch to be written (default 10,000). */
  readonly maxPendingRows?: number;
  /** How often pending rows are written when fewer arrive (default 100 ms). */
  readonly flushIntervalMs?: number;
}

/** Readiness of one replica: false while its database cannot be written or read. */
export interface ReplicaStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly detail: string;
}

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
  readonly #pending = new ReplicaPending();
  readonly #deadLetters: DeadLetterWriter;
  readonly #maxPending: number;
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;
  #live: ReplicaVersion;
  #target: ReplicaMetadata;
  /** Per partition, how often it was sought back: a record in hand before then comes again. */
  readonly #rewinds = new Map<number, number>();
  #outdated: string | undefined;

  constructor(options: ReplicaFeederOptions) {
    this.#options = options;
    this.#deadLetters = new DeadLetterWriter(options.logger);
    this.#maxPending = options.maxPendingRows ?? 10_000;
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
    if (this.#failure !== undefined) {
      const failure: unknown = this.#failure;
      const message = failure instanceof Error ? failure.message : JSON.stringify(failure);
      return { name, ready: false, detail: `database unavailable: ${message}` };
    }
    return { name, ready: true, detail: `${this.#pending.size} row(s) pending` };
  }

  async start(): Promise<void> {
    const { replica, transport, service } = this.#options;
    this.#subscription = await transport.subscribe({
      groupId: replicaGroupName(service, replica.table),
      topics: [replica.topic.name],
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
      const moved = await writeBatch(this.#options.database, this.#target, batch, {
        table: this.table,
        version: this.#live.version,
      });
      if (moved !== undefined) {
        this.#pending.restore(batch);
        await this.#follow(moved);
        return;
      }
      this.#pending.written(batch);
      this.#recovered();
    } catch (error) {
      if (error instanceof ReplicaFencedError) {
        for (const partition of error.partitions) this.#pending.revoke(partition);
        this.#pending.restore(batch);
        this.#options.logger.warn(error.message, { table: this.table });
        return;
      }
      this.#pending.restore(batch);
      this.#failed(error);
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
      const offset = stored.get(partition) ?? 0;
      // Equal is the rule (the new version was built up to the live one's offsets); anything else
      // means this instance's view of the partition is stale: read it again from there.
      if (this.#pending.storedOffset(partition) === offset) continue;
      this.#rewinds.set(partition, (this.#rewinds.get(partition) ?? 0) + 1);
      this.#pending.assign(partition, offset);
      this.#subscription?.seek(replica.topic.name, partition, offset);
    }
    logger.info(`replica writes version ${live.version} (${target.table}) now`, {
      table: this.table,
    });
  }

  async #assigned(partitions: readonly TopicPartition[], seek: SeekPartition): Promise<void> {
    const numbers = partitions.map((tp) => tp.partition);
    let stored: Map<number, number>;
    try {
      stored = await readOffsets(this.#options.database, this.#target, numbers);
    } catch (error) {
      this.#failed(error);
      throw error;
    }
    this.#recovered();
    for (const tp of partitions) {
      const offset = stored.get(tp.partition) ?? 0;
      this.#pending.assign(tp.partition, offset);
      seek(tp.topic, tp.partition, offset);
    }
  }

  async #revoked(partitions: readonly TopicPartition[]): Promise<void> {
    try {
      // Another instance continues from the stored offsets: write what is here first, so it
      // does not read again what this one already took in. An outdated instance writes nothing:
      // the new version's writer reads those records itself.
      while (this.#pending.dirty && this.#outdated === undefined) await this.flush();
    } finally {
      for (const tp of partitions) this.#pending.revoke(tp.partition);
    }
  }

  async #handle(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    // Outdated, nothing is written, so nothing is kept: the new version's writer reads these
    // records from the offsets in the database, whatever this group commits.
    if (this.#outdated !== undefined) return;
    if (!this.#pending.accepts(record.partition, record.offset)) return;
    if (this.#pending.size >= this.#maxPending) {
      if (this.#writing === undefined && this.#failure === undefined) {
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
    const row = change.kind === 'row' ? change.row : null;
    this.#pending.take(record.partition, record.offset, change.key, row);
  }

  async #deadLetter(
    record: DeliveredRecord,
    output: RecordOutput,
    reason: DeadLetterReason,
    error: unknown,
  ): Promise<void> {
    await this.#deadLetters.write(record, output, {
      reason,
      error,
      service: this.#options.service,
      handler: this.#options.replica.property,
      attempts: reason === 'handler-failed' ? 1 : 0,
      failedAt: this.#options.clock.now(),
    });
    // Only the offset moves: the dead letter holds the record, the table is unchanged.
    this.#pending.take(record.partition, record.offset, '');
  }

  #failed(error: unknown): void {
    if (this.#failure === undefined) {
      this.#options.logger.error('replica cannot reach its database; records wait', {
        table: this.table,
        error,
      });
    }
    this.#failure = error;
  }

  #recovered(): void {
    if (this.#failure === undefined) return;
    this.#failure = undefined;
    this.#options.logger.info('replica reaches its database again', { table: this.table });
  }
}
