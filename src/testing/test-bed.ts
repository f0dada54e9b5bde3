import { StreamwiseApp } from '../app/streamwise-app';
import { ManualClock } from '../clock/manual-clock';
import type { Envelope, EnvelopeOptions } from '../codec/envelope';
import { buildEnvelope, buildTombstone } from '../codec/envelope';
import { InMemorySchemaRegistry } from '../codec/registry/in-memory-schema-registry';
import { MAGIC_BYTE } from '../codec/registry/wire-format';
import { adaptLogger } from '../logging/adapt-logger';
import type { Logger } from '../logging/logger';
import { SilentLogger } from '../logging/silent-logger';
import type { PublishOptions } from '../model/service/publish-options';
import type { PublishedEvent } from '../model/service/published-event';
import { deadLetterTopicName } from '../model/topics/header-names';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { ServiceClass } from '../runtime/service-class';
import type { StreamService } from '../runtime/stream-service';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { partitionForKey } from '../transport/partitioner';
import type { InjectRequest, InjectResponse } from './http-injection';
import { InProcessHttp } from './in-process-http';
import type { RawRecord } from './raw-record';
import { TEST_BED_STOP_TIMEOUT_MS, type TestBedOptions } from './test-bed-options';
import { TopicView } from './topic-view';

/** Records one drain() may see written before it decides the services are in a feedback loop. */
const MAX_RECORDS_PER_DRAIN = 1_000_000;

/**
 * Services on the in-memory broker with a manual clock: send input, drain, look at topics.
 * Nothing sleeps: drain() resolves when no record is in flight, advancing the clock only to fire
 * retry backoffs that in-flight records are waiting on.
 */
export class TestBed {
  readonly clock: ManualClock;
  readonly broker: MemoryBroker;
  readonly app: StreamwiseApp;
  readonly #input: MemoryTransport;
  readonly #options: TestBedOptions;
  readonly #logger: Logger;
  readonly #extraApps: StreamwiseApp[] = [];
  readonly #services: readonly ServiceClass[];
  #http: InProcessHttp | undefined;

  private constructor(
    app: StreamwiseApp,
    clock: ManualClock,
    broker: MemoryBroker,
    input: MemoryTransport,
    options: TestBedOptions,
    logger: Logger,
    services: readonly ServiceClass[],
  ) {
    this.app = app;
    this.#services = services;
    this.clock = clock;
    this.broker = broker;
    this.#input = input;
    this.#options = options;
    this.#logger = logger;
  }

  static async start(
    services: readonly ServiceClass[],
    options: TestBedOptions = {},
  ): Promise<TestBed> {
    const clock = options.clock ?? new ManualClock();
    const broker = options.broker ?? new MemoryBroker();
    const logger = options.logger === undefined ? new SilentLogger() : adaptLogger(options.logger);
    const app = StreamwiseApp.create({
      services,
      transport: new MemoryTransport({ broker, clock, logger, clientId: 'testbed-app' }),
      clock,
      logger,
      container: options.container,
      retry: options.retry,
      owners: options.owners,
      unsignedRecords: options.unsignedRecords,
      envelopeHeaders: options.envelopeHeaders,
      schemaRegistry:
        options.schemaRegistry === 'none'
          ? undefined
          : (options.schemaRegistry ?? new InMemorySchemaRegistry()),
      stateDir: options.stateDir,
      replicaDatabase: options.replicaDatabase,
      stopTimeoutMs: options.stopTimeoutMs ?? TEST_BED_STOP_TIMEOUT_MS,
    });
    const input = new MemoryTransport({ broker, clock, logger, clientId: 'testbed-input' });
    await input.connect();
    try {
      await app.start();
    } catch (error) {
      await input.disconnect();
      throw error;
    }
    return new TestBed(app, clock, broker, input, options, logger, services);
  }

  service<T extends StreamService>(type: ServiceClass<T>): T {
    return this.app.service(type);
  }

  /**
   * Writes `value` as explicit external input. It is written in the name of the topic's owner in
   * this bed (as if that service had published it), or as "testbed" when no service here owns it.
   */
  async send<T, K extends TopicKey>(
    topic: TopicDefinition<T, K>,
    value: T,
    options: PublishOptions = {},
  ): Promise<PublishedEvent> {
    // Validated and encoded as the app's own publishers do: SchemaValidationError, nothing sent.
    const encodedValue = await this.app.values.encode(topic, value);
    return this.#write(
      topic,
      buildEnvelope(topic, value, { ...this.#envelopeOptions(topic, options), encodedValue }),
    );
  }

  async sendTombstone<K extends TopicKey>(
    topic: TopicDefinition<unknown, K>,
    key: K,
    options: PublishOptions = {},
  ): Promise<PublishedEvent> {
    return this.#write(topic, buildTombstone(topic, key, this.#envelopeOptions(topic, options)));
  }

  /** Writes bytes as they are: for malformed records, foreign producers and other bad input. */
  async sendRaw(
    topic: TopicDefinition | string,
    record: RawRecord,
  ): Promise<{ partition: number; offset: number }> {
    const name = typeof topic === 'string' ? topic : topic.name;
    const key = typeof record.key === 'string' ? Buffer.from(record.key) : record.key;
    const value = typeof record.value === 'string' ? Buffer.from(record.value) : record.value;
    const partitions = this.broker.requireTopic(name).partitions.length;
    const partition = record.partition ?? (key === null ? 0 : partitionForKey(key, partitions));
    const [metadata] = await this.#input.produce(name, [
      { key, value, partition, headers: record.headers, timestamp: record.timestamp },
    ]);
    return metadata;
  }

  /** Resolves when every consumer has handled everything written so far (and what that caused). */
  async drain(options: { maxRecords?: number } = {}): Promise<void> {
    const budget = options.maxRecords ?? MAX_RECORDS_PER_DRAIN;
    for (;;) {
      await this.broker.settled(budget);
      // Let promise continuations that were already queued run before trusting the state.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.broker.isSettled()) continue;
      if (!this.broker.hasParkedWork()) return;
      const next = this.clock.nextTimerAt();
      if (next === undefined) return;
      this.clock.advanceTo(next);
    }
  }

  topic<T, K extends TopicKey>(topic: TopicDefinition<T, K>): TopicView<T, K>;
  topic(topic: string): TopicView<unknown>;
  topic<T, K extends TopicKey>(
    topic: TopicDefinition<T, K> | string,
  ): TopicView<T, K> | TopicView<unknown> {
    if (typeof topic === 'string')
      return new TopicView<unknown>(this.broker.requireTopic(topic), undefined);
    return new TopicView(
      this.broker.requireTopic(topic.name),
      topic,
      (bytes) => this.app.values.decodeKnown(topic, bytes) as T,
    );
  }

  /**
   * The dead-letter topic of `topic`. Values are decoded leniently (JSON when it parses, else the
   * raw text), since what lands there is often what could not be decoded.
   */
  deadLetters(topic: TopicDefinition): TopicView<unknown> {
    return new TopicView<unknown>(
      this.broker.requireTopic(deadLetterTopicName(topic.name)),
      undefined,
      (bytes) => this.#decodeLeniently(topic, bytes),
    );
  }

  /**
   * Sends an HTTP request to the bed's @Query routes (and /health/*) in-process, through the same
   * fastify routes the app's query server serves, with no port: e.g. `inject('GET /v1/orders/o-1')`
   * or `inject({ method: 'POST', url: '/v1/orders', payload: order })`. Answers as the first app.
   */
  inject(request: InjectRequest | string): Promise<InjectResponse> {
    this.#http ??= new InProcessHttp(this.app, this.#services, this.#logger);
    return this.#http.inject(request);
  }

  /** Starts another instance of `services` on the same broker: a second process, same consumer groups. */
  async startInstance(services: readonly ServiceClass[]): Promise<StreamwiseApp> {
    const app = StreamwiseApp.create({
      services,
      transport: new MemoryTransport({
        broker: this.broker,
        clock: this.clock,
        logger: this.#logger,
      }),
      clock: this.clock,
      logger: this.#logger,
      container: this.#options.container,
      retry: this.#options.retry,
      owners: this.#options.owners,
      unsignedRecords: this.#options.unsignedRecords,
      envelopeHeaders: this.#options.envelopeHeaders,
      schemaRegistry: this.app.values.registry,
      replicaDatabase: this.#options.replicaDatabase,
      stopTimeoutMs: this.#options.stopTimeoutMs ?? TEST_BED_STOP_TIMEOUT_MS,
    });
    this.#extraApps.push(app);
    await app.start();
    return app;
  }

  /** Runs compaction on a compacted topic now (Kafka does it in the background). */
  compact(topic: TopicDefinition, options: { dropTombstones?: boolean } = {}): void {
    this.broker.compact(topic.name, options);
  }

  /** Stops the apps; the input client disconnects also when a stop runs out of time. */
  async stop(): Promise<void> {
    try {
      await this.#http?.stop();
      await Promise.all(this.#extraApps.map((app) => app.stop()));
      await this.app.stop();
    } finally {
      await this.#input.disconnect();
    }
  }

  #envelopeOptions(topic: { name: string }, options: PublishOptions): EnvelopeOptions {
    return {
      producer: this.app.writers.ownerOf(topic.name) ?? 'testbed',
      timestamp: options.timestamp ?? this.clock.now(),
      headers: options.headers,
      envelopeHeaders: this.#options.envelopeHeaders,
    };
  }

  /** Wire-format bytes through the app's codec when it knows their schema; else JSON, else text. */
  #decodeLeniently(topic: TopicDefinition, bytes: Buffer): unknown {
    if (bytes.length > 0 && bytes[0] === MAGIC_BYTE) {
      try {
        return this.app.values.decodeKnown(topic, bytes);
      } catch {
        // Not decodable (that may be why it is here): show it as text below.
      }
    }
    const text = bytes.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  async #write(topic: { name: string }, envelope: Envelope): Promise<PublishedEvent> {
    const [metadata] = await this.#input.produce(topic.name, [envelope.record]);
    return {
      eventId: envelope.eventId,
      topic: topic.name,
      partition: metadata.partition,
      offset: metadata.offset,
    };
  }
}
