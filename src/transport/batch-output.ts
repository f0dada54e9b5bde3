import { TransportError } from '../errors/transport-error';
import type { Logger } from '../logging/logger';
import type { TopicRecords } from './kafka/kafka-records';
import { recordBatchBytes } from './record-batch-size';
import type { OutgoingRecord, ProduceOptions, RecordOutput } from './transport';

/**
 * Refuses records the broker would refuse (a malformed record, a partition the topic lacks),
 * throwing at once or rejecting; undefined, with no promise, when they are fine and nothing had
 * to be asked: most publishes of a handler take that path.
 */
export type RecordCheck = (
  topic: string,
  records: readonly OutgoingRecord[],
) => Promise<void> | undefined;

/** Where a partition's outputs go: the shared producer, or the partition's open transaction. */
export interface OutputSink {
  /** Sent records stay invisible until commit (a transaction), so they can still be taken back. */
  readonly transactional: boolean;
  /** Sends records now: acknowledged (at-least-once), or written into the open transaction. */
  send(entries: readonly TopicRecords[]): Promise<void>;
  /**
   * Makes what was sent durable together with the input position `nextOffset`: nothing to do
   * when the consumer commits offsets itself; with exactly-once, the offsets join the
   * transaction and it commits.
   */
  commit(nextOffset: number): Promise<void>;
  /** Forgets what was sent and not committed (aborts the open transaction). */
  abort(): Promise<void>;
}

/**
 * Where a publish goes that arrives after its batch was committed (a handler that did not await
 * it): written at once, acknowledged, outside any transaction, because its batch cannot take it.
 */
export interface LateOutput {
  send(entries: readonly TopicRecords[]): Promise<void>;
  readonly logger: Logger;
}

interface PendingEntry extends TopicRecords {
  /** The input record whose handler wrote these records. */
  readonly offset: number;
  readonly bytes: number;
}

/** What a publish that only joined the pending output resolves with. */
const JOINED: Promise<void> = Promise.resolve();

/** Flush early past these, so no request comes near the broker's 1 MiB batch limit. */
const MAX_PENDING_BYTES = 512 * 1024;
const MAX_PENDING_RECORDS = 5_000;

/**
 * The pending output of the records a batch loop handled on one partition since its last
 * commit: handler outputs join it and resolve at once, and `commit` sends them together (one
 * sendBatch, i.e. one Produce request per broker) before the input offsets move.
 */
export class BatchOutput {
  readonly #sink: OutputSink;
  readonly #validate: RecordCheck;
  #entries: PendingEntry[] = [];
  #bytes = 0;
  #records = 0;
  /**
   * Set when the next commit must fail: a send for `flush: true` failed (what it carried is
   * lost), or a failed record's outputs already sit in the open transaction.
   */
  #lost: Error | undefined;
  /** The highest input offset whose outputs were sent since the last commit. */
  #sentUpTo = -1;
  readonly #late: LateOutput;
  /** The batch is over: nothing pending will be sent or committed any more. */
  #closed = false;

  constructor(sink: OutputSink, validate: RecordCheck, late: LateOutput) {
    this.#sink = sink;
    this.#validate = validate;
    this.#late = late;
  }

  /**
   * The batch ended: later outputs of its handlers go out on their own (see LateOutput). Outputs
   * sent into the open transaction and never committed (a failed record's flushed publish, with
   * nothing before it to commit) are aborted: left open, the transaction would commit them with
   * a later batch, and on @platformatic/kafka it would keep the instance's producer from others.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sink.transactional && this.#sentUpTo >= 0) {
      await this.abort().catch((error: unknown) => {
        this.#late.logger.warn('aborting the transaction of an ended batch failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }
  }

  /** Outputs are sent into a transaction that commits them with the input position. */
  get transactional(): boolean {
    return this.#sink.transactional;
  }

  /** The output handed to the handler of the record at `offset`. */
  outputFor(offset: number): RecordOutput {
    return new RecordOutputAt(this, offset);
  }

  /** Enough is pending that it should go out before more records are handled. */
  get full(): boolean {
    return this.#bytes >= MAX_PENDING_BYTES || this.#records >= MAX_PENDING_RECORDS;
  }

  /** The handler of the record at `offset` failed: its outputs, and those of later records, go. */
  discardFrom(offset: number): void {
    this.#discard(offset, (entry) => entry.offset < offset);
  }

  /** The handler of the record at `offset` failed and runs again: only its own outputs go. */
  discardOf(offset: number): void {
    this.#discard(offset, (entry) => entry.offset !== offset);
  }

  /**
   * Sends the outputs of the records below the input position `nextOffset` and commits them with
   * it. Outputs of records at or past it stay pending for a later commit: with key-ordered
   * concurrency they belong to records finished above one still running, whose offsets this
   * commit does not cover; if the batch stops before that, they go with it.
   */
  async commit(nextOffset: number): Promise<void> {
    const later = this.#entries.filter((entry) => entry.offset >= nextOffset);
    if (later.length > 0) this.#keep((entry) => entry.offset < nextOffset);
    try {
      await this.#sendPending();
      await this.#sink.commit(nextOffset);
    } finally {
      this.#restore(later);
    }
    this.#sentUpTo = -1;
  }

  /** After a failed commit: nothing pending survives, an open transaction is aborted. */
  async abort(): Promise<void> {
    this.#take();
    this.#lost = undefined;
    this.#sentUpTo = -1;
    await this.#sink.abort();
  }

  /**
   * A handler's write for the record at `offset`. Without a promise of its own when the records
   * are checked at once and only join the pending output (every publish of every handler comes
   * through here).
   */
  join(
    offset: number,
    topic: string,
    records: readonly OutgoingRecord[],
    options: ProduceOptions | undefined,
  ): Promise<void> {
    let checking: Promise<void> | undefined;
    try {
      checking = records.length > 0 ? this.#validate(topic, records) : undefined;
    } catch (error) {
      return refused(error);
    }
    if (checking !== undefined || this.#closed || options?.flush === true) {
      return this.#add(checking, offset, topic, records, options);
    }
    this.#push(offset, topic, records);
    return JOINED;
  }

  async #add(
    checking: Promise<void> | undefined,
    offset: number,
    topic: string,
    records: readonly OutgoingRecord[],
    options: ProduceOptions | undefined,
  ): Promise<void> {
    await checking;
    if (this.#closed) return this.#sendLate(offset, topic, records);
    if (options?.flush !== true) return this.#push(offset, topic, records);
    await this.#sendPending();
    if (records.length === 0) return;
    // Sent on its own: if the broker refuses it (a dead letter too large, say), the caller gets
    // the error and nothing else was lost with it.
    this.#sentUpTo = Math.max(this.#sentUpTo, offset);
    await this.#sink.send([{ topic, records }]);
  }

  #push(offset: number, topic: string, records: readonly OutgoingRecord[]): void {
    if (records.length === 0) return;
    const bytes = recordBatchBytes(records);
    this.#entries.push({ offset, topic, records, bytes });
    this.#bytes += bytes;
    this.#records += records.length;
  }

  async #sendLate(offset: number, topic: string, records: readonly OutgoingRecord[]) {
    if (records.length === 0) return;
    this.#late.logger.warn(
      `a handler wrote to "${topic}" after its input record was committed (a publish it did not await?); written now, on its own${this.#sink.transactional ? ', outside the transaction' : ''}: await every publish`,
      { offset, records: records.length },
    );
    await this.#late.send([{ topic, records }]);
  }

  async #sendPending(): Promise<void> {
    if (this.#lost !== undefined) throw this.#lost;
    const entries = this.#take();
    if (entries.length === 0) return;
    for (const entry of entries) this.#sentUpTo = Math.max(this.#sentUpTo, entry.offset);
    try {
      await this.#sink.send(entries);
    } catch (error) {
      // Outputs of other records went with it; their offsets must not be committed now.
      this.#lost =
        error instanceof Error ? error : new TransportError(String(error), { retriable: true });
      throw error;
    }
  }

  /** Keeps what `wanted` accepts; outputs of `offset` already in the open transaction spoil it. */
  #discard(offset: number, wanted: (entry: PendingEntry) => boolean): void {
    if (this.#sink.transactional && this.#sentUpTo >= offset) {
      this.#lost ??= new TransportError(
        `Kafka: the handler of offset ${offset} failed after its outputs were sent in the open transaction; the transaction is aborted and its records are delivered again.`,
        { retriable: true },
      );
    }
    this.#keep(wanted);
  }

  #keep(wanted: (entry: PendingEntry) => boolean): void {
    this.#entries = this.#entries.filter(wanted);
    this.#bytes = this.#entries.reduce((sum, entry) => sum + entry.bytes, 0);
    this.#records = this.#entries.reduce((sum, entry) => sum + entry.records.length, 0);
  }

  /** Puts entries held back from a commit in front of what handlers added meanwhile. */
  #restore(entries: readonly PendingEntry[]): void {
    if (entries.length === 0) return;
    this.#entries = [...entries, ...this.#entries];
    for (const entry of entries) {
      this.#bytes += entry.bytes;
      this.#records += entry.records.length;
    }
  }

  #take(): PendingEntry[] {
    const entries = this.#entries;
    this.#entries = [];
    this.#bytes = 0;
    this.#records = 0;
    return entries;
  }
}

/** A record's RecordOutput: an object per record, without a closure (cheaper to make). */
class RecordOutputAt implements RecordOutput {
  readonly #batch: BatchOutput;
  readonly #offset: number;

  constructor(batch: BatchOutput, offset: number) {
    this.#batch = batch;
    this.#offset = offset;
  }

  produce(
    topic: string,
    records: readonly OutgoingRecord[],
    options?: ProduceOptions,
  ): Promise<void> {
    return this.#batch.join(this.#offset, topic, records, options);
  }
}

/** A check that threw at once, as the rejection the caller of `produce` expects. */
function refused(error: unknown): Promise<void> {
  return JOINED.then(() => {
    throw error;
  });
}
