import type { Meter } from '@opentelemetry/api';

import type { Clock } from '../clock/clock';
import type { Envelope, EnvelopeOptions } from '../codec/envelope';
import { buildEnvelope, buildTombstone } from '../codec/envelope';
import { TopicCodec } from '../codec/topic-codec';
import { KeyTooLargeError } from '../errors/key-too-large-error';
import { MAX_KEY_BYTES } from '../model/key-limit';
import type { PublishOptions } from '../model/service/publish-options';
import type { PublishedEvent } from '../model/service/published-event';
import type { EnvelopeHeaders } from '../model/topics/envelope-header';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { currentHandlerScope } from '../state/handler-scope';
import { RecordTelemetry } from '../telemetry/record-telemetry';
import type { Transport } from '../transport/transport';
import type { TopicWriters } from './topic-writers';

/**
 * Writes a service's events. The single-writer check and serialization happen before anything is
 * sent. Inside a handler the record joins the attempt's writes: it reaches the handler's output
 * (with exactly-once, the transaction of the input offset) only if the attempt succeeds, unless
 * `flush: true` asks for it to be written, and acknowledged, at once.
 */
export class Publisher {
  readonly #service: string;
  readonly #transport: Transport;
  readonly #writers: TopicWriters;
  readonly #clock: Clock;
  readonly #values: TopicCodec;
  readonly #telemetry: RecordTelemetry | undefined;
  readonly #envelopeHeaders: EnvelopeHeaders | undefined;

  constructor(
    service: string,
    transport: Transport,
    writers: TopicWriters,
    clock: Clock,
    values: TopicCodec = new TopicCodec(),
    options: { readonly meter?: Meter; readonly envelopeHeaders?: EnvelopeHeaders } = {},
  ) {
    this.#service = service;
    this.#transport = transport;
    this.#writers = writers;
    this.#clock = clock;
    this.#values = values;
    this.#telemetry = RecordTelemetry.detect(service, { meter: options.meter });
    this.#envelopeHeaders = options.envelopeHeaders;
  }

  async publish<T, K extends TopicKey>(
    topic: TopicDefinition<T, K>,
    value: T,
    options: PublishOptions = {},
  ): Promise<PublishedEvent> {
    this.#writers.assertCanWrite(this.#service, topic.name);
    // Schema validation (SchemaValidationError) and encoding happen here, before anything is sent.
    const encoding = this.#values.encode(topic, value);
    const encodedValue = encoding instanceof Promise ? await encoding : encoding;
    const telemetry = this.#telemetry;
    if (telemetry !== undefined) {
      return this.#sent(telemetry, topic.name, options.flush === true, (headers) =>
        buildEnvelope(
          topic,
          value,
          this.#envelopeOptions(options, { ...options.headers, ...headers }, encodedValue),
        ),
      );
    }
    const envelope = buildEnvelope(
      topic,
      value,
      this.#envelopeOptions(options, options.headers, encodedValue),
    );
    const sending = this.#send(topic.name, envelope, options.flush === true);
    return sending instanceof Promise ? await sending : sending;
  }

  async publishTombstone<K extends TopicKey>(
    topic: TopicDefinition<unknown, K>,
    key: K,
    options: PublishOptions = {},
  ): Promise<PublishedEvent> {
    this.#writers.assertCanWrite(this.#service, topic.name);
    const telemetry = this.#telemetry;
    if (telemetry === undefined) {
      return await this.#send(
        topic.name,
        buildTombstone(topic, key, this.#envelopeOptions(options)),
        options.flush === true,
      );
    }
    return this.#sent(telemetry, topic.name, options.flush === true, (headers) =>
      buildTombstone(
        topic,
        key,
        this.#envelopeOptions(options, { ...options.headers, ...headers }),
      ),
    );
  }

  /**
   * A publish (or tombstone), counted and in a `send` span whose context travels in the headers
   * of the record `build` makes.
   */
  async #sent(
    telemetry: RecordTelemetry,
    topic: string,
    flush: boolean,
    build: (traceHeaders: Readonly<Record<string, string>>) => Envelope,
  ): Promise<PublishedEvent> {
    const span = telemetry.startSend(topic);
    try {
      const envelope = build(span.headers);
      span.describe(envelope.record.partition, envelope.eventId);
      const published = await this.#send(topic, envelope, flush);
      span.end();
      return published;
    } catch (error) {
      span.end(error);
      throw error;
    }
  }

  /** Built in one literal, without spreads: every publish of every handler makes one. */
  #envelopeOptions(
    options: PublishOptions,
    headers: PublishOptions['headers'] = options.headers,
    encodedValue?: Buffer,
  ): EnvelopeOptions {
    return {
      producer: this.#service,
      timestamp: options.timestamp ?? this.#clock.now(),
      headers,
      encodedValue,
      envelopeHeaders: this.#envelopeHeaders,
    };
  }

  /** Synchronous when the record only joins the handler's pending output. */
  #send(
    topic: string,
    envelope: Envelope,
    flush: boolean,
  ): PublishedEvent | Promise<PublishedEvent> {
    const key = envelope.record.key;
    if (key !== null && key.length > MAX_KEY_BYTES) {
      throw new KeyTooLargeError(topic, key.length, MAX_KEY_BYTES);
    }
    const scope = currentHandlerScope();
    const { eventId } = envelope;
    const { partition } = envelope.record;
    if (scope !== undefined && scope.service === this.#service) {
      const sending = scope.writes.publish(scope.output, topic, envelope.record, flush);
      const buffered = { eventId, topic, partition, offset: undefined };
      return sending === undefined ? buffered : sending.then(() => buffered);
    }
    return this.#transport
      .produce(topic, [envelope.record])
      .then(([metadata]) => ({ eventId, topic, partition, offset: metadata.offset }));
  }
}
