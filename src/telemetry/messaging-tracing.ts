import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

import { registeredTracer } from './providers';
import { asException, failSpan } from './span-outcome';
import { spanContextFrom, traceHeaders } from './trace-headers';

/**
 * Where a `process` span sits: 'linked' (default) starts a trace of its own with a link to the
 * producer's span, as the messaging conventions recommend; 'child' makes it the producer span's
 * child, so one request and everything it causes downstream form one trace.
 */
export type ConsumerSpanParent = 'linked' | 'child';

/** A record as the consumer span describes it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The event id, when the record has one. */
  readonly messageId: string | undefined;
}

/** A started `send` span and the headers that carry it in the record. */
export interface SendSpan {
  readonly headers: Record<string, string>;
  /** Adds what is known once the record is built. */
  describe(partition: number, messageId: string): void;
  end(error?: unknown): void;
}

/**
 * Spans of the record path under the OpenTelemetry messaging conventions: `send <topic>`
 * (PRODUCER) per publish and `process <topic>` (CONSUMER) per handled record, with retries and
 * dead letters as events on it. Built only when a tracer provider is registered (`detect`).
 */
export class MessagingTracing {
  readonly #tracer: Tracer;
  readonly #group: string;
  readonly #parent: ConsumerSpanParent;

  private constructor(tracer: Tracer, group: string, parent: ConsumerSpanParent) {
    this.#tracer = tracer;
    this.#group = group;
    this.#parent = parent;
  }

  /** Undefined when no tracer provider is registered: callers then skip tracing entirely. */
  static detect(
    group: string,
    parent: ConsumerSpanParent = 'linked',
  ): MessagingTracing | undefined {
    const tracer = registeredTracer();
    return tracer === undefined ? undefined : new MessagingTracing(tracer, group, parent);
  }

  /** Runs `handle` inside the record's `process` span (the active span for its publishes). */
  process<T>(record: ConsumedRecord, handle: () => Promise<T>): Promise<T> {
    const producer = spanContextFrom(record.headers);
    // Never the active context: a memory transport may deliver inside the publisher's context.
    const parent =
      producer !== undefined && this.#parent === 'child'
        ? trace.setSpanContext(ROOT_CONTEXT, producer)
        : ROOT_CONTEXT;
    const attributes = processAttributes(record, this.#group);
    const span = this.#tracer.startSpan(
      `process ${record.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes,
        links: producer === undefined ? [] : [{ context: producer }],
      },
      parent,
    );
    return context.with(trace.setSpan(parent, span), () => runInSpan(span, handle));
  }

  /** A `send <topic>` span, child of the active span (a query's or a record's). */
  startSend(topic: string, active: Context = context.active()): SendSpan {
    const span = this.#tracer.startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'send',
        },
      },
      active,
    );
    return {
      headers: traceHeaders(span.spanContext()),
      describe: (partition, messageId) => {
        span.setAttributes(sentAttributes(topic, partition, messageId));
      },
      end: (error?: unknown) => {
        if (error !== undefined) failSpan(span, error);
        span.end();
      },
    };
  }

  /** A failed attempt that will be retried: an event with the error on the record's span. */
  retrying(error: unknown, attempt: number, delayMs: number): void {
    const span = trace.getActiveSpan();
    span?.recordException(asException(error));
    span?.addEvent('retry', {
      'streamwise.attempt': attempt,
      'streamwise.retry.delay_ms': delayMs,
    });
  }

  /** The record went to the dead-letter topic: an event, the error, and the span marked failed. */
  deadLettered(reason: string, error: unknown, attempts: number): void {
    const span = trace.getActiveSpan();
    if (span === undefined) return;
    span.addEvent('dead-letter', {
      'streamwise.dead_letter.reason': reason,
      'streamwise.attempts': attempts,
    });
    failSpan(span, error);
  }
}

// Each span's attributes are one object literal, never spread from a shared part: built as a
// spread and then grown, the same attributes cost about 5 µs more per record on Node 20, more
// than the span itself (bench/RESULTS.md, session j).

function processAttributes(record: ConsumedRecord, group: string): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': record.topic,
    'messaging.destination.partition.id': String(record.partition),
    'messaging.kafka.destination.partition': record.partition,
    'messaging.kafka.offset': record.offset,
    'messaging.consumer.group.name': group,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
  };
  if (record.messageId !== undefined) attributes['messaging.message.id'] = record.messageId;
  return attributes;
}

function sentAttributes(topic: string, partition: number, messageId: string): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.destination.partition': partition,
    'messaging.message.id': messageId,
  };
}

async function runInSpan<T>(span: Span, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}
