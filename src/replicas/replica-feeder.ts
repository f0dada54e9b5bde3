import type { Clock } from '../clock/clock';
import type { RecordGate, Rejection } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import { ReplicaFencedError } from '../errors/replica-fenced-error';
import { StreamwiseError } from '../errors/streamwise-error';
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
import { keyText, rowOf } from './replica-row';
import { readOffsets, writeBatch } from './replica-table';

export interface ReplicaFeederOptions {
  readonly service: string;
  readonly replica: ReplicaMetadata;
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

  constructor(options: ReplicaFeederOptions) {
    this.#options = options;
    this.#deadLetters = new DeadLetterWriter(options.logger);
    this.#maxPending = options.maxPendingRows ?? 10_000;
  }

  get table(): string {
    return this.#options.replica.table;
  }

  status(): ReplicaStatus {
    const name = `replica ${this.table}`;
    if (this.#subscription === undefined) return { name, ready: false, detail: 'not started' };
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
    const batch = this.#pending.drain();
    if (batch.length === 0) return;
    try {
      await writeBatch(this.#options.database, this.#options.replica, batch);
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

  async #assigned(partitions: readonly TopicPartition[], seek: SeekPartition): Promise<void> {
    const numbers = partitions.map((tp) => tp.partition);
    let stored: Map<number, number>;
    try {
      stored = await readOffsets(this.#options.database, this.#options.replica, numbers);
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
      // does not read again what this one already took in.
      while (this.#pending.dirty) await this.flush();
    } finally {
      for (const tp of partitions) this.#pending.revoke(tp.partition);
    }
  }

  async #handle(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    if (!this.#pending.accepts(record.partition, record.offset)) return;
    // Back-pressure: the record waits (is delivered again) until the batch before it is written.
    if (this.#pending.size >= this.#maxPending) await this.flush();
    const { replica, values, gate } = this.#options;
    const topic = replica.topic;
    const rejected = gate.check(topic, record);
    if (rejected !== undefined) return this.#reject(record, output, rejected);
    let read;
    try {
      read = await values.decode(topic, record);
    } catch (error) {
      // A schema registry that cannot answer yet is not the record's fault.
      if (error instanceof StreamwiseError && error.retriable) throw error;
      return this.#deadLetter(record, output, 'undecodable', error);
    }
    const key = keyText(read.key);
    if (read.value === undefined) {
      this.#pending.take(record.partition, record.offset, key, null);
      return;
    }
    let value: unknown;
    try {
      value = values.conform(topic, read);
    } catch (error) {
      return this.#deadLetter(record, output, 'invalid', error);
    }
    const wrongKey = gate.checkKey(topic, record, read.key, value);
    if (wrongKey !== undefined) return this.#reject(record, output, wrongKey);
    let row: unknown[];
    try {
      row = rowOf(replica, key, value, record);
    } catch (error) {
      // A column's `from` that throws on this value fails the same way every time.
      return this.#deadLetter(record, output, 'handler-failed', error);
    }
    this.#pending.take(record.partition, record.offset, key, row);
  }

  #reject(record: DeliveredRecord, output: RecordOutput, rejection: Rejection): Promise<void> {
    return this.#deadLetter(record, output, rejection.reason, rejection.error);
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
