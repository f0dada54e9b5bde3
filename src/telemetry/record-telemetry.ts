import type { Meter } from '@opentelemetry/api';

import { MessagingMetrics } from './messaging-metrics';
import type { ConsumedRecord, ConsumerSpanParent, SendSpan } from './messaging-tracing';
import { MessagingTracing } from './messaging-tracing';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Spans and metrics of one service's record path, each present only when the app registered its
 * provider. `detect` answers undefined when neither is, and the record path skips it altogether.
 */
export class RecordTelemetry {
  readonly #tracing: MessagingTracing | undefined;
  readonly #metrics: MessagingMetrics | undefined;

  private constructor(
    tracing: MessagingTracing | undefined,
    metrics: MessagingMetrics | undefined,
  ) {
    this.#tracing = tracing;
    this.#metrics = metrics;
  }

  static detect(
    service: string,
    options: { consumerSpans?: ConsumerSpanParent; meter?: Meter } = {},
  ): RecordTelemetry | undefined {
    const tracing = MessagingTracing.detect(service, options.consumerSpans);
    const metrics = MessagingMetrics.detect(service, options.meter);
    if (tracing === undefined && metrics === undefined) return undefined;
    return new RecordTelemetry(tracing, metrics);
  }

  /** Handles the record in its span, and counts and times it. */
  async process(record: ConsumedRecord, handle: () => Promise<void>): Promise<void> {
    const metrics = this.#metrics;
    const started = metrics === undefined ? 0 : performance.now();
    let failed = true;
    try {
      await (this.#tracing?.process(record, handle) ?? handle());
      failed = false;
    } finally {
      metrics?.handled(record.topic, (performance.now() - started) / 1_000, failed);
    }
  }

  retrying(topic: string, error: unknown, attempt: number, delayMs: number): void {
    this.#tracing?.retrying(error, attempt, delayMs);
    this.#metrics?.retried(topic);
  }

  deadLettered(topic: string, reason: string, error: unknown, attempts: number): void {
    this.#tracing?.deadLettered(reason, error, attempts);
    this.#metrics?.deadLettered(topic, reason);
  }

  /** The publish's span (if tracing) and its count (if metrics), ended by `end`. */
  startSend(topic: string): SendSpan {
    const span = this.#tracing?.startSend(topic);
    const metrics = this.#metrics;
    return {
      headers: span?.headers ?? NO_HEADERS,
      describe: (partition, messageId) => span?.describe(partition, messageId),
      end: (error?: unknown) => {
        span?.end(error);
        metrics?.published(topic, error !== undefined);
      },
    };
  }
}
