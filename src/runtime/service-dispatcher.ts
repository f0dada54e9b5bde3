import type { Meter } from '@opentelemetry/api';

import type { Clock } from '../clock/clock';
import type { DecodedRecord } from '../codec/decode-key';
import type { ReadRecord } from '../codec/read-record';
import type { Rejection } from '../codec/record-gate';
import { RecordGate } from '../codec/record-gate';
import { TopicCodec } from '../codec/topic-codec';
import { StreamwiseError } from '../errors/streamwise-error';
import type { Logger } from '../logging/logger';
import type { RetryOptions } from '../model/service/retry-options';
import type { ServiceDescription } from '../model/service/service-description';
import { envelopeField } from '../model/topics/envelope-header';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import type { ConsumedRecord, ConsumerSpanParent } from '../telemetry/messaging-tracing';
import { RecordTelemetry } from '../telemetry/record-telemetry';
import type { DeliveredRecord, RecordBatch, RecordOutput } from '../transport/transport';
import type { DeadLetterInfo } from './dead-letter-record';
import type { DeadLetterCounts } from './dead-letter-writer';
import { DeadLetterWriter } from './dead-letter-writer';
import { type BoundHandler, HandlerAttempt, type HandlerMethod } from './handler-attempt';
import { HandlerInvoker, type Started } from './handler-invoker';
import { resolveRetry } from './retry-policy';
import type { TopicWriters } from './topic-writers';

export interface DispatcherDependencies {
  readonly writers: TopicWriters;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultRetry?: RetryOptions;
  /** Decoding, validation and upcasting of values; plain serdes with local validation if absent. */
  readonly values?: TopicCodec;
  /** The app's policy for records without a producer, where the topic sets none. */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  /** Where each record's `process` span sits when a tracer provider is registered. */
  readonly consumerSpans?: ConsumerSpanParent;
  /** Where record metrics go; the global meter provider's meter (if one is registered) otherwise. */
  readonly meter?: Meter;
}

/**
 * Turns records into handler calls for one service: decode, check the writer, filter, call with
 * retries and backoff, and send what cannot be handled to the dead-letter topic so the partition
 * moves on. Resolving means "commit"; it rejects only when the service is stopping mid-retry, the
 * broker or the schema registry failed (a retriable error) or not even a reduced dead letter could
 * be written, and then the transport delivers the record again.
 */
export class ServiceDispatcher {
  readonly #service: ServiceDescription;
  readonly #deps: DispatcherDependencies;
  readonly #topics = new Map<string, TopicDefinition>();
  readonly #handlers = new Map<string, BoundHandler[]>();
  readonly #values: TopicCodec;
  readonly #stopping = new AbortController();
  readonly #deadLetters: DeadLetterWriter;
  readonly #gate: RecordGate;
  readonly #telemetry: RecordTelemetry | undefined;
  readonly #invoker: HandlerInvoker;
  /** Whether handlers can publish or touch state, so need a handler scope (decided on first use). */
  #needsScope: boolean | undefined;

  constructor(service: ServiceDescription, instance: object, deps: DispatcherDependencies) {
    this.#service = service;
    this.#deps = deps;
    this.#values = deps.values ?? new TopicCodec();
    this.#deadLetters = new DeadLetterWriter(deps.logger);
    this.#gate = new RecordGate({
      ownerOf: (name) => deps.writers.ownerOf(name),
      unsignedRecords: deps.unsignedRecords,
      onForeignProducer: service.options.onForeignProducer,
      logger: deps.logger,
    });
    this.#telemetry = RecordTelemetry.detect(service.name, deps);
    this.#invoker = new HandlerInvoker({
      service: service.name,
      clock: deps.clock,
      logger: deps.logger,
      stopping: this.#stopping.signal,
      telemetry: this.#telemetry,
      scoped: () => this.#scoped(),
      deadLetter: (record, output, info) => this.#deadLetter(record, output, info),
    });
    for (const metadata of service.handlers) {
      const method = (instance as Record<string, unknown>)[metadata.method];
      if (typeof method !== 'function') continue;
      this.#topics.set(metadata.topic.name, metadata.topic);
      const bound: BoundHandler = {
        metadata,
        retry: resolveRetry(deps.defaultRetry, service.options.retry, metadata.retry),
        invoke: (method as HandlerMethod).bind(instance),
      };
      this.#handlers.set(metadata.topic.name, [
        ...(this.#handlers.get(metadata.topic.name) ?? []),
        bound,
      ]);
    }
  }

  /** Topic names with at least one handler: what the service's consumer group subscribes to. */
  get topics(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Dead letters written so far, full and reduced (without the value the broker refused). */
  get deadLetterCounts(): DeadLetterCounts {
    return this.#deadLetters.counts;
  }

  /** Logs the summary of dead letters not logged yet (once the subscription stopped). */
  flushLogs(): void {
    this.#deadLetters.flushLog();
  }

  /** Stop retrying: a record in backoff is left uncommitted for redelivery after restart. */
  abort(): void {
    this.#stopping.abort();
  }

  readonly handle = (record: DeliveredRecord, output: RecordOutput): Promise<void> => {
    const telemetry = this.#telemetry;
    if (telemetry === undefined) return this.#handle(record, output);
    // The fields the span describes, named: a spread of the record cost more than the span.
    const consumed: ConsumedRecord = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      headers: record.headers,
      messageId: envelopeField(record.headers, 'eventId'),
    };
    return telemetry.process(consumed, () => this.#handle(record, output));
  };

  /**
   * A partition's records one after another, each committed (batch.handled) once handled. The
   * handler's own promise is awaited here rather than in a chain of async calls per record, so
   * a record whose handler succeeds costs one promise and one turn of this loop.
   */
  readonly handleBatch = async (batch: RecordBatch): Promise<void> => {
    for (const record of batch.records) {
      if (batch.halted()) return;
      const output = batch.output(record);
      const started =
        this.#telemetry === undefined ? this.#start(record, output) : this.handle(record, output);
      if (started instanceof Promise) {
        await started;
      } else if (started !== undefined) {
        // HandlerInvoker.settle inlined: a call of its own would cost the promise this loop saves.
        try {
          await started.result;
          if (started.writes?.isEmpty === false) await started.writes.flush(output);
        } catch (error) {
          started.writes?.discard();
          await this.#invoker.retryAfter(started, error);
        }
      }
      batch.handled(record);
    }
  };

  async #handle(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    const started = this.#start(record, output);
    if (started instanceof HandlerAttempt) return this.#invoker.settle(started);
    return started;
  }

  /**
   * Synchronous up to the first attempt of the record's handler (unless the value's schema is in
   * the registry): undefined when nothing is left to wait for, the attempt when its handler
   * returned a promise, else the promise of the rest (dead letter, several handlers, registry).
   */
  #start(record: DeliveredRecord, output: RecordOutput): Started {
    const topic = this.#topics.get(record.topic);
    const handlers = this.#handlers.get(record.topic);
    if (topic === undefined || handlers === undefined) return undefined;
    let decoding: ReadRecord | Promise<ReadRecord>;
    try {
      decoding = this.#values.decode(topic, record);
    } catch (error) {
      return this.#undecodable(record, output, error);
    }
    if (decoding instanceof Promise)
      return this.#startDecoding(topic, handlers, record, output, decoding);
    return this.#startRead(topic, handlers, record, output, decoding);
  }

  async #startDecoding(
    topic: TopicDefinition,
    handlers: readonly BoundHandler[],
    record: DeliveredRecord,
    output: RecordOutput,
    decoding: Promise<ReadRecord>,
  ): Promise<void> {
    let read: ReadRecord;
    try {
      read = await decoding;
    } catch (error) {
      return this.#undecodable(record, output, error);
    }
    const started = this.#startRead(topic, handlers, record, output, read);
    if (started instanceof HandlerAttempt) return this.#invoker.settle(started);
    return started;
  }

  #startRead(
    topic: TopicDefinition,
    handlers: readonly BoundHandler[],
    record: DeliveredRecord,
    output: RecordOutput,
    read: ReadRecord,
  ): Started {
    // Tombstones delete keys from tables; event handlers see only values.
    if (read.value === undefined) return undefined;

    const rejected = this.#gate.check(topic, record);
    if (rejected !== undefined) return this.#reject(record, output, rejected);

    let decoded: DecodedRecord;
    try {
      decoded = { key: read.key, value: this.#values.conform(topic, read) };
    } catch (error) {
      // Data that fails its schema (or cannot be upcast) stays bad however often it is retried.
      return this.#deadLetter(record, output, {
        reason: 'invalid',
        error,
        handler: undefined,
        attempts: 0,
      });
    }

    const wrongKey = this.#gate.checkKey(topic, record, decoded.key, decoded.value);
    if (wrongKey !== undefined) return this.#reject(record, output, wrongKey);

    if (handlers.length === 1) return this.#invoker.attempt(handlers[0], record, decoded, output);
    return this.#invokeEach(handlers, record, decoded, output);
  }

  async #undecodable(record: DeliveredRecord, output: RecordOutput, error: unknown): Promise<void> {
    // A registry that cannot answer yet is not the record's fault: leave it for redelivery.
    if (error instanceof StreamwiseError && error.retriable) throw error;
    return this.#deadLetter(record, output, {
      reason: 'undecodable',
      error,
      handler: undefined,
      attempts: 0,
    });
  }

  /** A record that does not belong on its topic (RecordGate) goes to the DLQ before any handler. */
  #reject(record: DeliveredRecord, output: RecordOutput, rejection: Rejection): Promise<void> {
    return this.#deadLetter(record, output, {
      reason: rejection.reason,
      error: rejection.error,
      handler: undefined,
      attempts: 0,
    });
  }

  async #invokeEach(
    handlers: readonly BoundHandler[],
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
  ): Promise<void> {
    for (const handler of handlers)
      await this.#invoker.invokeWithRetry(handler, record, decoded, output, 1);
  }

  /**
   * A service that owns no topic cannot publish, and without stores nothing reads the scope:
   * its handlers run without one. The scope's AsyncLocalStorage puts a cost on every promise of
   * the process once used, which was a fifth of the memory transport's time per record.
   */
  #scoped(): boolean {
    this.#needsScope ??=
      this.#service.stores.length > 0 ||
      this.#service.windowedStores.length > 0 ||
      this.#deps.writers.entries().some(([, owner]) => owner === this.#service.name);
    return this.#needsScope;
  }

  async #deadLetter(
    record: DeliveredRecord,
    output: RecordOutput,
    info: Omit<DeadLetterInfo, 'service' | 'failedAt'>,
  ): Promise<void> {
    const full: DeadLetterInfo = {
      ...info,
      service: this.#service.name,
      failedAt: this.#deps.clock.now(),
    };
    this.#telemetry?.deadLettered(record.topic, info.reason, info.error, info.attempts);
    await this.#deadLetters.write(record, output, full);
  }
}
