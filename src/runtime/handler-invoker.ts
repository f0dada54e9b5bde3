import type { Clock } from '../clock/clock';
import type { DecodedRecord } from '../codec/decode-key';
import { ShutdownInterruptedError } from '../errors/shutdown-interrupted-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { TransportError } from '../errors/transport-error';
import type { Logger } from '../logging/logger';
import { runInHandlerScope } from '../state/handler-scope';
import { StateWriteBuffer } from '../state/state-write-buffer';
import type { RecordTelemetry } from '../telemetry/record-telemetry';
import type { DeliveredRecord, RecordOutput } from '../transport/transport';
import type { DeadLetterInfo } from './dead-letter-record';
import { type BoundHandler, HandlerAttempt, isPromiseLike } from './handler-attempt';
import { RecordContext } from './record-context';
import { retryDelay } from './retry-policy';

export interface HandlerInvokerDeps {
  readonly service: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborted when the service stops: a record in backoff is left for redelivery. */
  readonly stopping: AbortSignal;
  readonly telemetry: RecordTelemetry | undefined;
  /** Whether handlers need a handler scope (they publish or touch state). */
  readonly scoped: () => boolean;
  readonly deadLetter: (
    record: DeliveredRecord,
    output: RecordOutput,
    info: Omit<DeadLetterInfo, 'service' | 'failedAt'>,
  ) => Promise<void>;
}

/** What is left of a record after its first attempt started: nothing, the attempt, or the rest. */
export type Started = HandlerAttempt | Promise<void> | undefined;

/** A handler that returned no promise but left writes to flush. */
const SETTLED: Promise<void> = Promise.resolve();

/**
 * Calls a service's handlers for decoded records: attempts, the writes of each attempt, retries
 * with backoff and, after the last attempt, the dead letter. The first attempt is started
 * synchronously so that a caller looping over records can await the handler's promise itself.
 */
export class HandlerInvoker {
  readonly #deps: HandlerInvokerDeps;

  constructor(deps: HandlerInvokerDeps) {
    this.#deps = deps;
  }

  /**
   * The first attempt, started: undefined when it finished synchronously with nothing to flush,
   * the attempt when there is something to wait for, a promise when it failed at once.
   */
  attempt(
    handler: BoundHandler,
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
  ): Started {
    const writes = this.#deps.scoped() ? new StateWriteBuffer() : undefined;
    let result: unknown;
    try {
      result = this.#call(handler, record, decoded, output, 1, writes);
    } catch (error) {
      writes?.discard();
      return this.retryAfter({ handler, record, decoded, output }, error);
    }
    const pending = isPromiseLike(result);
    if (!pending && (writes === undefined || writes.isEmpty)) return undefined;
    return new HandlerAttempt(
      handler,
      record,
      decoded,
      output,
      isPromiseLike(result) ? result : SETTLED,
      writes,
    );
  }

  /** Waits for a started attempt, flushes its writes, and retries or dead-letters on failure. */
  async settle(attempt: HandlerAttempt): Promise<void> {
    try {
      await attempt.result;
      if (attempt.writes?.isEmpty === false) await attempt.writes.flush(attempt.output);
    } catch (error) {
      attempt.writes?.discard();
      await this.retryAfter(attempt, error);
    }
  }

  /** After the first attempt failed with `error`: dead-letter it, or retry from attempt 2. */
  async retryAfter(
    { handler, record, decoded, output }: Omit<HandlerAttempt, 'result' | 'writes'>,
    error: unknown,
  ): Promise<void> {
    if (await this.#failed(handler, record, output, 1, error)) return;
    await this.invokeWithRetry(handler, record, decoded, output, 2);
  }

  async invokeWithRetry(
    handler: BoundHandler,
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
    first: number,
  ): Promise<void> {
    for (let attempt = first; ; attempt++) {
      const writes = this.#deps.scoped() ? new StateWriteBuffer() : undefined;
      try {
        const result = this.#call(handler, record, decoded, output, attempt, writes);
        if (isPromiseLike(result)) await result;
        if (writes?.isEmpty === false) await writes.flush(output);
        return;
      } catch (error) {
        writes?.discard();
        if (await this.#failed(handler, record, output, attempt, error)) return;
      }
    }
  }

  /** Calls the handler (unless its `when` filters the value out), in a scope when it has writes. */
  #call(
    handler: BoundHandler,
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
    attempt: number,
    writes: StateWriteBuffer | undefined,
  ): unknown {
    const { metadata } = handler;
    if (metadata.when !== undefined && !metadata.when(decoded.value)) return undefined;
    const context = new RecordContext(record, decoded, attempt, this.#deps.logger);
    if (writes === undefined) return handler.invoke(decoded.value, context);
    const scope = { service: this.#deps.service, output, partition: record.partition, writes };
    return runInHandlerScope(scope, handler.invoke, decoded.value, context);
  }

  /**
   * After a failed attempt: true once the record went to the dead-letter topic, false after the
   * backoff before the next attempt. Rejects when the record must be delivered again instead.
   */
  async #failed(
    handler: BoundHandler,
    record: DeliveredRecord,
    output: RecordOutput,
    attempt: number,
    error: unknown,
  ): Promise<boolean> {
    const { metadata, retry } = handler;
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
      await this.#deps.deadLetter(record, output, {
        reason: 'handler-failed',
        error,
        handler: metadata.method,
        attempts: attempt,
      });
      return true;
    }
    this.#deps.logger.warn('handler failed; retrying', {
      topic: record.topic,
      offset: record.offset,
      handler: metadata.method,
      attempt,
      error,
    });
    const delay = retryDelay(retry, attempt);
    this.#deps.telemetry?.retrying(record.topic, error, attempt, delay);
    await this.#sleepUnlessAborted(delay, record);
    return false;
  }

  async #sleepUnlessAborted(ms: number, record: DeliveredRecord): Promise<void> {
    await this.#deps.clock.sleep(ms, this.#deps.stopping);
    if (this.#deps.stopping.aborted)
      throw new ShutdownInterruptedError(record.topic, record.partition, record.offset);
  }
}
