import type { Meter } from '@opentelemetry/api';

import type { Clock } from '../clock/clock';
import type { DecodedRecord } from '../codec/decode-key';
import type { ReadRecord } from '../codec/read-record';
import type { Rejection } from '../codec/record-gate';
import { RecordGate } from '../codec/record-gate';
import { TopicCodec } from '../codec/topic-codec';
import { ShutdownInterruptedError } from '../errors/shutdown-interrupted-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { TransportError } from '../errors/transport-error';
import type { Logger } from '../logging/logger';
import type { EventContext } from '../model/service/event-context';
import type { EventHandlerMetadata } from '../model/service/handler-metadata';
import type { RetryOptions } from '../model/service/retry-options';
import type { ServiceDescription } from '../model/service/service-description';
import { HeaderNames } from '../model/topics/header-names';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import { runInHandlerScope } from '../state/handler-scope';
import { StateWriteBuffer } from '../state/state-write-buffer';
import type { ConsumerSpanParent } from '../telemetry/messaging-tracing';
import { RecordTelemetry } from '../telemetry/record-telemetry';
import type { DeliveredRecord, RecordOutput } from '../transport/transport';
import type { DeadLetterInfo } from './dead-letter-record';
import type { DeadLetterCounts } from './dead-letter-writer';
import { DeadLetterWriter } from './dead-letter-writer';
import { RecordContext } from './record-context';
import type { RetryPolicy } from './retry-policy';
import { resolveRetry, retryDelay } from './retry-policy';
import type { TopicWriters } from './topic-writers';

export interface DispatcherDependencies {
  readonly writers: TopicWriters;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultRetry?: RetryOptions;
  /** Decoding, validation and upcasting of values; plain serdes with local validation if absent. */
  readonly values?: TopicCodec;
  /** The app's policy for records without sw-producer, where the topic sets none. */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  /** Where each record's `process` span sits when a tracer provider is registered. */
  readonly consumerSpans?: ConsumerSpanParent;
  /** Where record metrics go; the global meter provider's meter (if one is registered) otherwise. */
  readonly meter?: Meter;
}

type HandlerMethod = (value: unknown, context: EventContext) => unknown;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

interface BoundHandler {
  readonly metadata: EventHandlerMetadata;
  readonly retry: RetryPolicy;
  readonly invoke: HandlerMethod;
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
    const consumed = { ...record, messageId: record.headers[HeaderNames.EVENT_ID] };
    return telemetry.process(consumed, () => this.#handle(record, output));
  };

  async #handle(record: DeliveredRecord, output: RecordOutput): Promise<void> {
    const topic = this.#topics.get(record.topic);
    const handlers = this.#handlers.get(record.topic);
    if (topic === undefined || handlers === undefined) return;

    let read: ReadRecord;
    try {
      const decoding = this.#values.decode(topic, record);
      read = decoding instanceof Promise ? await decoding : decoding;
    } catch (error) {
      // A registry that cannot answer yet is not the record's fault: leave it for redelivery.
      if (error instanceof StreamwiseError && error.retriable) throw error;
      return this.#deadLetter(record, output, {
        reason: 'undecodable',
        error,
        handler: undefined,
        attempts: 0,
      });
    }
    // Tombstones delete keys from tables; event handlers see only values.
    if (read.value === undefined) return;

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

    if (handlers.length === 1) return this.#invokeWithRetry(handlers[0], record, decoded, output);
    for (const handler of handlers) {
      await this.#invokeWithRetry(handler, record, decoded, output);
    }
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

  async #invokeWithRetry(
    handler: BoundHandler,
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
  ): Promise<void> {
    const { metadata, retry } = handler;
    for (let attempt = 1; ; attempt++) {
      const writes = new StateWriteBuffer();
      try {
        if (metadata.when !== undefined && !metadata.when(decoded.value)) return;
        const context = new RecordContext(record, decoded, attempt, this.#deps.logger);
        // No async wrapper: a handler that returns no promise costs no promise here.
        const result = this.#scoped()
          ? runInHandlerScope(
              { service: this.#service.name, output, partition: record.partition, writes },
              handler.invoke,
              decoded.value,
              context,
            )
          : handler.invoke(decoded.value, context);
        if (isPromiseLike(result)) await result;
        if (!writes.isEmpty) await writes.flush(output);
        return;
      } catch (error) {
        writes.discard();
        // The broker, not the record, is at fault: leave it uncommitted so the transport delivers
        // it again once the broker is back, instead of dead-lettering a good record.
        if (error instanceof TransportError && error.retriable) throw error;
        const retriable = !(error instanceof StreamwiseError) || error.retriable;
        if (!retriable || attempt >= retry.attempts) {
          this.#deps.logger.error('handler failed; record sent to the dead-letter topic', {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            handler: metadata.method,
            attempts: attempt,
            error,
          });
          return this.#deadLetter(record, output, {
            reason: 'handler-failed',
            error,
            handler: metadata.method,
            attempts: attempt,
          });
        }
        this.#deps.logger.warn('handler failed; retrying', {
          topic: record.topic,
          offset: record.offset,
          handler: metadata.method,
          attempt,
          error,
        });
        const delay = retryDelay(retry, attempt);
        this.#telemetry?.retrying(record.topic, error, attempt, delay);
        await this.#sleepUnlessAborted(delay, record);
      }
    }
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

  async #sleepUnlessAborted(ms: number, record: DeliveredRecord): Promise<void> {
    await this.#deps.clock.sleep(ms, this.#stopping.signal);
    if (this.#stopping.signal.aborted)
      throw new ShutdownInterruptedError(record.topic, record.partition, record.offset);
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
