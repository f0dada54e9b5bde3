import { Kafka, Partitioners } from 'kafkajs';

import { TransportClosedError } from '../../errors/transport-closed-error';
import type { Logger } from '../../logging/logger';
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
import { ExactlyOnceProcessor } from './exactly-once-processor';
import { KafkaAdminOps } from './kafka-admin-ops';
import {
  resolveKafkaConfig,
  type KafkaTransportOptions,
  type ResolvedKafkaConfig,
} from './kafka-config';
import { errorMessage, toTransportError } from './kafka-errors';
import { kafkaLogCreator } from './kafka-log-adapter';
import { KafkaRecordWriter } from './kafka-record-writer';
import { KafkaSharedProducer } from './kafka-shared-producer';
import { KafkaSubscription } from './kafka-subscription';
import { SelfHealingSubscription } from './self-healing-subscription';
import { AtLeastOnceProcessor, type RecordProcessor } from './record-processor';

interface Connection {
  readonly kafka: Kafka;
  readonly admin: KafkaAdminOps;
  readonly producer: KafkaSharedProducer;
  readonly writer: KafkaRecordWriter;
}

/**
 * Transport on Apache Kafka through kafkajs: one idempotent producer (acks=all) and one admin
 * client per connection, one consumer per subscription. See kafka-subscription.ts for the
 * processing loop and exactly-once-processor.ts for the transactional model.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly #config: ResolvedKafkaConfig;
  readonly #logger: Logger;
  readonly #subscriptions = new Set<SelfHealingSubscription>();
  #connection: Connection | undefined;
  #connecting: Promise<void> | undefined;
  #disconnecting: Promise<void> | undefined;

  constructor(options: KafkaTransportOptions) {
    this.#config = resolveKafkaConfig(options);
    this.#logger = this.#config.logger;
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
    const config = this.#config;
    const kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      retry: config.retry,
      logLevel: config.kafkaLogLevel,
      logCreator: kafkaLogCreator(this.#logger),
    });
    const admin = new KafkaAdminOps(kafka, {
      replicationFactor: config.replicationFactor,
      logger: this.#logger,
    });
    const producer = new KafkaSharedProducer(
      () =>
        kafka.producer({
          idempotent: true,
          allowAutoTopicCreation: false,
          // Every record carries its partition; the partitioner is never asked. Passing one
          // explicitly also silences kafkajs' "default partitioner changed" warning.
          createPartitioner: Partitioners.DefaultPartitioner,
        }),
      this.#logger,
    );
    try {
      await admin.connect();
      await producer.connect();
    } catch (error) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw toTransportError(error, `connect to ${config.brokers.join(', ')}`);
    }
    this.#connection = { kafka, admin, producer, writer: new KafkaRecordWriter(admin) };
    this.#logger.info('connected', { brokers: config.brokers.join(',') });
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
    await Promise.allSettled([...this.#subscriptions].map((subscription) => subscription.stop()));
    this.#connection = undefined;
    const results = await Promise.allSettled([
      connection.producer.disconnect(),
      connection.admin.disconnect(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') {
        this.#logger.warn('disconnecting from Kafka failed', {
          error: errorMessage(result.reason),
        });
      }
    }
    this.#logger.info('disconnected');
  }

  // ---- topics -------------------------------------------------------------------------------

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const { admin } = this.#live('create topics');
    await run(`create topics ${names(specs.map((spec) => spec.name))}`, () =>
      admin.createTopics(specs),
    );
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const { admin } = this.#live('describe a topic');
    return run(`describe topic "${name}"`, () => admin.describeTopic(name));
  }

  async listTopics(): Promise<string[]> {
    const { admin } = this.#live('list topics');
    return run('list topics', () => admin.listTopics());
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    const { admin, producer } = this.#live('delete topics');
    await run(`delete topics ${names(topics)}`, async () => {
      const deleted = await admin.deleteTopics(topics);
      await producer.topicsDeleted(deleted);
    });
  }

  // ---- records ------------------------------------------------------------------------------

  async produce(topic: string, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    const { producer, writer } = this.#live(`produce to "${topic}"`);
    if (records.length === 0) return [];
    return run(`produce to "${topic}"`, () =>
      producer.use(topic, (sender) => writer.write(sender, topic, records)),
    );
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const connection = this.#live('subscribe');
    validateSubscription(options);
    await run(`subscribe to ${names(options.topics)}`, () =>
      connection.admin.requireTopics(options.topics),
    );
    const logger = this.#logger.child({ groupId: options.groupId });
    // A new member (consumer and processor) each time: a replacement starts from a clean slate.
    const member = (onFatalCrash: (error: Error) => void): KafkaSubscription => {
      const processor: RecordProcessor =
        options.exactlyOnce === true
          ? new ExactlyOnceProcessor({
              kafka: connection.kafka,
              groupId: options.groupId,
              handle: options.handle,
              writer: connection.writer,
              committedOffset: async ({ topic, partition }) =>
                (await connection.admin.committedOffsets(options.groupId, topic))[partition],
              logger,
            })
          : // Bound to this connection rather than to #live(): handlers that are finishing while
            // disconnect() stops their subscription can still write their output.
            new AtLeastOnceProcessor(options.handle, (topic, records) =>
              run(`produce to "${topic}"`, () =>
                connection.producer.use(topic, (sender) =>
                  connection.writer.write(sender, topic, records),
                ),
              ),
            );
      return new KafkaSubscription({
        kafka: connection.kafka,
        options,
        config: this.#config,
        processor,
        logger,
        onStopped: () => undefined,
        onFatalCrash,
      });
    };
    const subscription: SelfHealingSubscription = new SelfHealingSubscription(
      options.groupId,
      member,
      logger,
      () => this.#subscriptions.delete(subscription),
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
    const { admin } = this.#live('read end offsets');
    return run(`read end offsets of "${topic}"`, () => admin.endOffsets(topic));
  }

  async startOffsets(topic: string): Promise<number[]> {
    const { admin } = this.#live('read start offsets');
    return run(`read start offsets of "${topic}"`, () => admin.startOffsets(topic));
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    const { admin } = this.#live('look up offsets by timestamp');
    return run(`look up offsets of "${topic}" at ${timestamp}`, () =>
      admin.offsetsForTimestamp(topic, timestamp),
    );
  }

  async committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    const { admin } = this.#live('read committed offsets');
    return run(`read committed offsets of group "${groupId}" on "${topic}"`, () =>
      admin.committedOffsets(groupId, topic),
    );
  }

  async setCommittedOffsets(
    groupId: string,
    topic: string,
    offsets: readonly number[],
  ): Promise<void> {
    const { admin } = this.#live('set committed offsets');
    await run(`set committed offsets of group "${groupId}" on "${topic}"`, () =>
      admin.setCommittedOffsets(groupId, topic, offsets),
    );
  }

  #live(action: string): Connection {
    if (this.#connection === undefined || this.#disconnecting !== undefined) {
      throw new TransportClosedError(action);
    }
    return this.#connection;
  }
}

async function run<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toTransportError(error, action);
  }
}

function names(topics: readonly string[]): string {
  return topics.map((topic) => `"${topic}"`).join(', ');
}
