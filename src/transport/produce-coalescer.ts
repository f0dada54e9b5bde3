import { TransportClosedError } from '../errors/transport-closed-error';
import { TransportError } from '../errors/transport-error';
import type { TopicRecords } from './kafka/kafka-records';
import { recordBatchBytes } from './record-batch-size';
import type { OutgoingRecord, RecordMetadata } from './transport';

/** How far concurrent produce calls are merged into one request. */
export interface CoalescingLimits {
  /**
   * How long the first call waits for others before its request goes out. 0: only until the
   * current turn of the event loop ends (everything a `Promise.all` started joins it). Calls that
   * arrive while a request is in flight always wait for it and then go out together.
   */
  readonly lingerMs: number;
  /** Records per request; a single call above it still goes out, alone and whole. */
  readonly maxRecords: number;
  /** Estimated bytes per request (keys, values, headers); a single call above it goes out alone. */
  readonly maxBytes: number;
}

/** Where merged calls go: one caller's check, and one request for several callers' records. */
export interface CoalescedSink {
  /** Rejects what must not be sent; only this caller sees the error. */
  validate(topic: string, records: readonly OutgoingRecord[]): Promise<void> | undefined;
  /** One request; resolves with each entry's metadata, in the order of the entries. */
  send(entries: readonly TopicRecords[]): Promise<RecordMetadata[][]>;
}

interface Pending extends TopicRecords {
  /** Known once validated (before, the records may not even hold Buffers). */
  bytes: number;
  ready: boolean;
  resolve(metadata: RecordMetadata[]): void;
  reject(error: unknown): void;
}

/**
 * Merges concurrent produce calls into shared requests. kafkajs' idempotent producer sends one
 * request at a time per broker, so calls made one by one queue behind each other's round trips;
 * merged, they share them. Calls leave in the order they were made (a call still being validated
 * holds back the ones behind it), so records of one call stay contiguous and calls to one
 * partition keep their order. One request is in flight at a time.
 */
export class ProduceCoalescer {
  readonly #sink: CoalescedSink;
  readonly #limits: CoalescingLimits;
  #queue: Pending[] = [];
  #inFlight = false;
  #timer: { cancel(): void } | undefined;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(sink: CoalescedSink, limits: CoalescingLimits) {
    this.#sink = sink;
    this.#limits = limits;
  }

  produce(topic: string, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (this.#closed) return Promise.reject(new TransportClosedError(`produce to "${topic}"`));
    if (records.length === 0) return Promise.resolve([]);
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const pending: Pending = {
        topic,
        records,
        bytes: 0,
        ready: false,
        resolve,
        reject,
      };
      this.#queue.push(pending);
      void this.#validate(pending);
    });
  }

  /**
   * Stops taking calls; resolves once every call already taken was sent (or failed). The linger
   * is cut short: what is queued goes out now.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#flush();
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #validate(pending: Pending): Promise<void> {
    try {
      await this.#sink.validate(pending.topic, pending.records);
      pending.bytes = recordBatchBytes(pending.records);
      pending.ready = true;
    } catch (error) {
      // Not yet ready, so never taken: it is still in the queue.
      this.#queue.splice(this.#queue.indexOf(pending), 1);
      pending.reject(error);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#inFlight || this.#timer !== undefined) return;
    if (this.#queue[0]?.ready !== true) {
      this.#wakeIfIdle();
      return;
    }
    if (this.#closed) {
      this.#flush();
      return;
    }
    this.#timer = later(this.#limits.lingerMs, () => {
      this.#timer = undefined;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#inFlight) return;
    const batch = this.#take();
    if (batch.length === 0) {
      this.#wakeIfIdle();
      return;
    }
    void this.#send(batch);
  }

  async #send(batch: readonly Pending[]): Promise<void> {
    this.#inFlight = true;
    try {
      const metadata = await this.#sink.send(batch);
      batch.forEach((pending, index) => {
        const own = metadata[index];
        if (own === undefined) pending.reject(missingMetadata(pending.topic));
        else pending.resolve(own);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#inFlight = false;
      // What queued during the round trip has waited long enough: it goes out now.
      this.#flush();
    }
  }

  /** The longest run of validated calls at the head of the queue that fits the limits. */
  #take(): Pending[] {
    const { maxRecords, maxBytes } = this.#limits;
    let count = 0;
    let records = 0;
    let bytes = 0;
    for (const pending of this.#queue) {
      if (!pending.ready) break;
      const fits =
        records + pending.records.length <= maxRecords && bytes + pending.bytes <= maxBytes;
      if (count > 0 && !fits) break;
      count++;
      records += pending.records.length;
      bytes += pending.bytes;
    }
    return this.#queue.splice(0, count);
  }

  #idle(): boolean {
    return !this.#inFlight && this.#queue.length === 0;
  }

  #wakeIfIdle(): void {
    if (!this.#idle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function missingMetadata(topic: string): TransportError {
  return new TransportError(
    `Kafka: records for "${topic}" were sent with acks=all, but no offsets came back for them; they may or may not be written. Report this as a streamwise bug.`,
    { retriable: false },
  );
}

/** 0 ms: after the current turn of the event loop (setImmediate), not a timer's 1 ms minimum. */
function later(ms: number, run: () => void): { cancel(): void } {
  if (ms <= 0) {
    const immediate = setImmediate(run);
    return { cancel: () => clearImmediate(immediate) };
  }
  const timeout = setTimeout(run, ms);
  return { cancel: () => clearTimeout(timeout) };
}
