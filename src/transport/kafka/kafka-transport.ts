import { TransportClosedError } from '../../errors/transport-closed-error';
import { RateLimitedLogger } from '../../logging/rate-limited-logger';
import { BrokerCalls, quoted } from '../broker-calls';
import { ProduceCoalescer } from '../produce-coalescer';
import { retryWithin } from '../retry-within';
import type {
  OutgoingRecord,
  RecordMetadata,
  Subscription,
  SubscriptionOptions,
  TopicDescription,
  TopicSpec,
  Transport,
} from '../transport';
import { validateSubscription } from '../validate-subscription';
import {
  type KafkaTransportOptions,
  type ResolvedKafkaConfig,
  resolveKafkaConfig,
} from './kafka-config';
import {
  closeKafkaConnection,
  type KafkaConnection,
  kafkaPrincipal,
  openKafkaConnection,
  probeBroker,
} from './kafka-connection';
import { withTransportError } from './kafka-errors';
import { kafkaMemberFactory } from './kafka-member-factory';
import { producerSink } from './producer-sink';
import { SelfHealingSubscription } from './self-healing-subscription';

/**
 * Transport on Apache Kafka through kafkajs: one idempotent producer (acks=all) and one admin
 * client per connection, one consumer per subscription. Concurrent produce calls share requests
 * (produce-coalescer.ts). See kafka-subscription.ts for the group membership, kafka-batch-loop.ts
 * for the processing loop and exactly-once-processor.ts for the transactional model.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly #config: ResolvedKafkaConfig;
  readonly #logger: RateLimitedLogger;
  readonly #subscriptions = new Set<SelfHealingSubscription>();
  #connection: KafkaConnection | undefined;
  #coalescer: ProduceCoalescer | undefined;
  #connecting: Promise<void> | undefined;
  #disconnecting: Promise<void> | undefined;
  readonly #calls: BrokerCalls;

  constructor(options: KafkaTransportOptions) {
    this.#config = resolveKafkaConfig(options);
    // A broker outage makes every consumer, commit and write of this transport fail the same
    // way many times a second (hundreds of lines per process): one line per message every 10 s,
    // then a summary with the count.
    this.#logger = new RateLimitedLogger(this.#config.logger);
    this.#calls = new BrokerCalls({
      operations: () => {
        const connection = this.#disconnecting === undefined ? this.#connection : undefined;
        return connection && { topics: connection.admin, offsets: connection.offsets };
      },
      run: (action, operation) => this.#run(action, operation),
      startupTimeoutMs: this.#config.startupTimeoutMs,
      logger: this.#logger,
    });
  }

  get startupTimeoutMs(): number {
    return this.#config.startupTimeoutMs;
  }

  async connect(): Promise<void> {
    if (this.#disconnecting !== undefined) await this.#disconnecting;
    if (this.#connection !== undefined) return;
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    const brokers = this.#config.brokers.join(', ');
    this.#connection = await retryWithin(
      async () => {
        await probeBroker(this.#config);
        return openKafkaConnection(this.#config, this.#logger);
      },
      {
        waitingFor: `the Kafka broker at ${brokers}`,
        deadlineMs: this.#config.startupTimeoutMs,
        logger: this.#logger,
        stopped: () => this.#disconnecting !== undefined,
      },
    );
    const { lingerMs, batchMaxRecords, batchMaxBytes } = this.#config.producer;
    this.#coalescer = new ProduceCoalescer(producerSink(this.#connection), {
      lingerMs,
      maxRecords: batchMaxRecords,
      maxBytes: batchMaxBytes,
    });
    this.#logger.info('connected', { brokers });
  }

  async disconnect(): Promise<void> {
    if (this.#connecting !== undefined) await this.#connecting.catch(() => undefined);
    this.#disconnecting ??= this.#close().finally(() => {
      this.#disconnecting = undefined;
    });
    return this.#disconnecting;
  }

  async #close(): Promise<void> {
    const connection = this.#connection;
    if (connection === undefined) return;
    // Produce calls taken before disconnect() still go out (or fail) before the producer closes.
    await Promise.allSettled([
      ...[...this.#subscriptions].map((subscription) => subscription.stop()),
      this.#coalescer?.close(),
    ]);
    this.#connection = undefined;
    this.#coalescer = undefined;
    await closeKafkaConnection(connection, this.#logger);
    this.#logger.flush();
    this.#logger.info('disconnected');
  }

  // ---- topics -------------------------------------------------------------------------------

  createTopics(specs: readonly TopicSpec[]): Promise<void> {
    return this.#calls.createTopics(specs);
  }

  describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.#calls.describeTopic(name);
  }

  listTopics(): Promise<string[]> {
    return this.#calls.listTopics();
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    const { admin, producer } = this.#live('delete topics');
    await this.#run(`delete topics ${quoted(topics)}`, async () => {
      const deleted = await admin.deleteTopics(topics);
      await producer.topicsDeleted(deleted);
    });
  }

  // ---- records ------------------------------------------------------------------------------

  async produce(topic: string, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    this.#live(`produce to "${topic}"`);
    const coalescer = this.#coalescer;
    if (coalescer === undefined) throw new TransportClosedError(`produce to "${topic}"`);
    if (records.length === 0) return [];
    return this.#run(`produce to "${topic}"`, () => coalescer.produce(topic, records));
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const connection = this.#live('subscribe');
    validateSubscription(options);
    await this.#calls.lookUp(`subscribe to ${quoted(options.topics)}`, () =>
      connection.admin.requireTopics(options.topics),
    );
    const logger = this.#logger.child({ groupId: options.groupId });
    const subscription: SelfHealingSubscription = new SelfHealingSubscription(
      options.groupId,
      kafkaMemberFactory(connection, options, this.#config, logger),
      logger,
      () => this.#subscriptions.delete(subscription),
      { startupTimeoutMs: this.#config.startupTimeoutMs },
    );
    this.#subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      this.#subscriptions.delete(subscription);
      throw error;
    }
    return subscription;
  }

  // ---- offsets ------------------------------------------------------------------------------

  endOffsets(topic: string): Promise<number[]> {
    return this.#calls.endOffsets(topic);
  }

  restoreEndOffsets(topic: string): Promise<number[]> {
    return this.#calls.restoreEndOffsets(topic);
  }

  startOffsets(topic: string): Promise<number[]> {
    return this.#calls.startOffsets(topic);
  }

  offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    return this.#calls.offsetsForTimestamp(topic, timestamp);
  }

  committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    return this.#calls.committedOffsets(groupId, topic);
  }

  setCommittedOffsets(groupId: string, topic: string, offsets: readonly number[]): Promise<void> {
    return this.#calls.setCommittedOffsets(groupId, topic, offsets);
  }

  /** A kafkajs call whose errors name this transport's principal (authorization failures). */
  #run<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return withTransportError(action, operation, kafkaPrincipal(this.#config));
  }

  #live(action: string): KafkaConnection {
    if (this.#connection === undefined || this.#disconnecting !== undefined) {
      throw new TransportClosedError(action);
    }
    return this.#connection;
  }
}
