import type { DecodedRecord } from '../codec/decode-key';
import type { EventContext } from '../model/service/event-context';
import type { EventHandlerMetadata } from '../model/service/handler-metadata';
import type { StateWriteBuffer } from '../state/state-write-buffer';
import type { DeliveredRecord, RecordOutput } from '../transport/transport';
import type { RetryPolicy } from './retry-policy';

export type HandlerMethod = (value: unknown, context: EventContext) => unknown;

/** A handler method bound to its service instance, with its resolved retry policy. */
export interface BoundHandler {
  readonly metadata: EventHandlerMetadata;
  readonly retry: RetryPolicy;
  readonly invoke: HandlerMethod;
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The first attempt of a record's handler, started and not yet settled: what the caller awaits
 * (`result`), then the attempt's writes to flush, and what a retry needs if it fails. Awaiting
 * the handler's own promise in the caller's loop spares a promise and a turn per record.
 */
export class HandlerAttempt {
  readonly handler: BoundHandler;
  readonly record: DeliveredRecord;
  readonly decoded: DecodedRecord;
  readonly output: RecordOutput;
  readonly result: PromiseLike<unknown>;
  /** The attempt's publishes and state writes; undefined when the service has neither. */
  readonly writes: StateWriteBuffer | undefined;

  constructor(
    handler: BoundHandler,
    record: DeliveredRecord,
    decoded: DecodedRecord,
    output: RecordOutput,
    result: PromiseLike<unknown>,
    writes: StateWriteBuffer | undefined,
  ) {
    this.handler = handler;
    this.record = record;
    this.decoded = decoded;
    this.output = output;
    this.result = result;
    this.writes = writes;
  }
}
