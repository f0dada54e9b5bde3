import type { Histogram, Meter, UpDownCounter } from '@opentelemetry/api';

import { SECONDS_BUCKETS } from './duration-buckets';
import { registeredMeter } from './providers';

/** @Query requests by route and status (HTTP server conventions) and the long polls open. */
export class HttpMetrics {
  readonly #duration: Histogram;
  readonly #longPolls: UpDownCounter;

  private constructor(meter: Meter) {
    this.#duration = meter.createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'How long @Query requests took, by route and status.',
      advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS] },
    });
    this.#longPolls = meter.createUpDownCounter('streamwise.query.long_polls', {
      description: '@Query requests waiting with ?timeout right now.',
    });
  }

  /** Undefined when no meter provider is registered; `meter` overrides the global one. */
  static detect(meter = registeredMeter()): HttpMetrics | undefined {
    return meter === undefined ? undefined : new HttpMetrics(meter);
  }

  /** Counts the request as a long poll until `done` is called. */
  longPoll(route: string): () => void {
    this.#longPolls.add(1, { 'http.route': route });
    return () => this.#longPolls.add(-1, { 'http.route': route });
  }

  answered(method: string, route: string, status: number, seconds: number): void {
    this.#duration.record(seconds, {
      'http.request.method': method,
      'http.route': route,
      'http.response.status_code': status,
    });
  }
}
