import { TransportClosedError } from '../../errors/transport-closed-error';
import { RateLimitedLogger } from '../../logging/rate-limited-logger';
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

  constructor(options: KafkaTransportOptions) {
    this.#config = resolveKafkaConfig(options);
    // A broker outage makes every consumer, commit and write of this transport fail the same
    // way many times a second (hundreds of lines per process): one line per message every 10 s,
    // then a summary with the count.
    this.#logger = new RateLimitedLogger(this.#config.logger);
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

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const { admin } = this.#live('create topics');
    await this.#lookUp(`create topics ${names(specs.map((spec) => spec.name))}`, () =>
      admin.createTopics(specs),
    );
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const { admin } = this.#live('describe a topic');
    return this.#lookUp(`describe topic "${name}"`, () => admin.describeTopic(name));
  }

  async listTopics(): Promise<string[]> {
    const { admin } = this.#live('list topics');
    return this.#lookUp('list topics', () => admin.listTopics());
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    const { admin, producer } = this.#live('delete topics');
    await this.#run(`delete topics ${names(topics)}`, async () => {
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
    await this.#lookUp(`subscribe to ${names(options.topics)}`, () =>
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

  async endOffsets(topic: string): Promise<number[]> {
    const { offsets } = this.#live('read end offsets');
    return this.#lookUp(`read end offsets of "${topic}"`, () => offsets.endOffsets(topic));
  }

  async startOffsets(topic: string): Promise<number[]> {
    const { offsets } = this.#live('read start offsets');
    return this.#lookUp(`read start offsets of "${topic}"`, () => offsets.startOffsets(topic));
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    const { offsets } = this.#live('look up offsets by timestamp');
    return this.#lookUp(`look up offsets of "${topic}" at ${timestamp}`, () =>
      offsets.offsetsForTimestamp(topic, timestamp),
    );
  }

  async committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    const { offsets } = this.#live('read committed offsets');
    return this.#lookUp(`read committed offsets of group "${groupId}" on "${topic}"`, () =>
      offsets.committedOffsets(groupId, topic),
    );
  }

  async setCommittedOffsets(
    groupId: string,
    topic: string,
    offsets: readonly number[],
  ): Promise<void> {
    const connection = this.#live('set committed offsets');
    await this.#run(`set committed offsets of group "${groupId}" on "${topic}"`, () =>
      connection.offsets.setCommittedOffsets(groupId, topic, offsets),
    );
  }

  /**
   * A topic or offset look-up (what start-up and restores do): retriable answers of a broker
   * that is starting or moving leaders (NOT_LEADER, no coordinator yet) are retried until
   * startupTimeoutMs instead of failing the caller on the first one.
   */
  #lookUp<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return retryWithin(() => this.#run(action, operation), {
      waitingFor: `the broker to ${action}`,
      deadlineMs: this.#config.startupTimeoutMs,
      logger: this.#logger,
      stopped: () => this.#connection === undefined || this.#disconnecting !== undefined,
    });
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

function names(topics: readonly string[]): string {
  return topics.map((topic) => `"${topic}"`).join(', ');
}
