import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';

import { SECONDS_BUCKETS } from './duration-buckets';
import { registeredMeter } from './providers';

/**
 * The record path's metrics: records handled and how long their handling took, retries, dead
 * letters by reason, and publishes. Instrument names follow the messaging conventions where
 * they define one (`messaging.process.duration`, `messaging.client.*.messages`).
 */
export class MessagingMetrics {
  readonly #group: string;
  readonly #duration: Histogram;
  readonly #consumed: Counter;
  readonly #sent: Counter;
  readonly #retries: Counter;
  readonly #deadLetters: Counter;

  private constructor(meter: Meter, group: string) {
    this.#group = group;
    this.#duration = meter.createHistogram('messaging.process.duration', {
      unit: 's',
      description: 'How long handling one record took, retries and dead-lettering included.',
      advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS] },
    });
    this.#consumed = meter.createCounter('messaging.client.consumed.messages', {
      description: 'Records handled (committed), dead-lettered ones included.',
    });
    this.#sent = meter.createCounter('messaging.client.sent.messages', {
      description: 'Records published by services.',
    });
    this.#retries = meter.createCounter('streamwise.retries', {
      description: 'Failed handler attempts that were retried.',
    });
    this.#deadLetters = meter.createCounter('streamwise.dead_letters', {
      description: 'Records sent to a dead-letter topic, by reason.',
    });
  }

  /** Undefined when no meter provider is registered; `meter` overrides the global one. */
  static detect(group: string, meter = registeredMeter()): MessagingMetrics | undefined {
    return meter === undefined ? undefined : new MessagingMetrics(meter, group);
  }

  handled(topic: string, seconds: number, failed: boolean): void {
    const attributes = this.#consumer(topic);
    if (failed) attributes['error.type'] = 'redelivered';
    this.#duration.record(seconds, attributes);
    if (!failed) this.#consumed.add(1, attributes);
  }

  retried(topic: string): void {
    this.#retries.add(1, this.#consumer(topic));
  }

  deadLettered(topic: string, reason: string): void {
    this.#deadLetters.add(1, { ...this.#consumer(topic), 'streamwise.dead_letter.reason': reason });
  }

  published(topic: string, failed: boolean): void {
    const attributes: Attributes = {
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'streamwise.service': this.#group,
    };
    if (failed) attributes['error.type'] = 'publish_failed';
    this.#sent.add(1, attributes);
  }

  #consumer(topic: string): Attributes {
    return {
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.consumer.group.name': this.#group,
    };
  }
}
