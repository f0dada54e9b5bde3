import { ConfigurationError } from '../../errors/configuration-error';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { RateLimitedLogger } from '../../logging/rate-limited-logger';
import { BrokerCalls, quoted } from '../broker-calls';
import type { TopicRecords } from '../kafka/kafka-records';
import { SelfHealingSubscription } from '../kafka/self-healing-subscription';
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
  platformaticPrincipal,
  type ResolvedPlatformaticConfig,
  resolvePlatformaticConfig,
} from './platformatic-config';
import {
  openPlatformaticConnection,
  type PlatformaticConnection,
  probePlatformaticBroker,
} from './platformatic-connection';
import { withPlatformaticError } from './platformatic-errors';
import { platformaticMemberFactory } from './platformatic-member-factory';
import type { PlatformaticKafkaTransportOptions } from './platformatic-options';

type LiveConnection = PlatformaticConnection & { close(): Promise<void> };

/**
 * Transport on Apache Kafka through @platformatic/kafka: one idempotent producer (acks=all) and
 * one admin client per connection, one consumer per subscription. Everything above the fetch
 * (partition tasks, batch output, redelivery, the assignment gate) is KafkaTransport's.
 * An exactlyOnce subscription adds one transactional producer (EOS v2, see
 * platformatic-exactly-once.ts).
 */
export class PlatformaticKafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly #config: ResolvedPlatformaticConfig;
  /** Warnings a broker outage repeats (every fetch, every retry) are written once per window. */
  readonly #logger: RateLimitedLogger;
  readonly #subscriptions = new Set<Subscription>();
  /** Groups with a live exactly-once subscription: with an instanceId, one each (one id). */
  readonly #transactionalGroups = new Set<string>();
  #connection: LiveConnection | undefined;
  #coalescer: ProduceCoalescer | undefined;
  #connecting: Promise<void> | undefined;
  #disconnecting: Promise<void> | undefined;
  readonly #calls: BrokerCalls;

  constructor(options: PlatformaticKafkaTransportOptions) {
    this.#config = resolvePlatformaticConfig(options);
    this.#logger = new RateLimitedLogger(this.#config.logger);
    this.#calls = new BrokerCalls({
      operations: () => (this.#disconnecting === undefined ? this.#connection : undefined),
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
    await retryWithin(() => probePlatformaticBroker(this.#config), {
      waitingFor: `the Kafka broker at ${brokers}`,
      deadlineMs: this.#config.startupTimeoutMs,
      logger: this.#logger,
      stopped: () => this.#disconnecting !== undefined,
    });
    const connection = openPlatformaticConnection(this.#config, this.#logger);
    this.#connection = connection;
    const { lingerMs, batchMaxRecords, batchMaxBytes } = this.#config.producer;
    this.#coalescer = new ProduceCoalescer(
      {
        validate: (topic, records) => connection.writer.validate(topic, records),
        send: (entries) => connection.writer.writeManyWithOffsets(entries),
      },
      { lingerMs, maxRecords: batchMaxRecords, maxBytes: batchMaxBytes },
    );
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
    await Promise.allSettled([
      ...[...this.#subscriptions].map((subscription) => subscription.stop()),
      this.#coalescer?.close(),
    ]);
    this.#connection = undefined;
    this.#coalescer = undefined;
    await connection.close();
    this.#logger.flush();
    this.#logger.info('disconnected');
  }

  createTopics(specs: readonly TopicSpec[]): Promise<void> {
    return this.#calls.createTopics(specs);
  }

  describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.#calls.describeTopic(name);
  }

  listTopics(): Promise<string[]> {
    return this.#calls.listTopics();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    const { topics } = this.#live('delete topics');
    await this.#run(`delete topics ${quoted(names)}`, () => topics.deleteTopics(names));
  }

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
    const transactional = this.#takeTransactionalId(options);
    const release = () => {
      if (transactional !== undefined) this.#transactionalGroups.delete(transactional);
    };
    try {
      await this.#calls.lookUp(`subscribe to ${quoted(options.topics)}`, () =>
        connection.topics.requireTopics(options.topics),
      );
    } catch (error) {
      release();
      throw error;
    }
    const logger = this.#logger.child({ groupId: options.groupId });
    const send = (entries: readonly TopicRecords[]): Promise<void> =>
      this.#run(`produce to ${quoted([...new Set(entries.map((entry) => entry.topic))])}`, () =>
        connection.writer.writeMany(entries),
      );
    const stopped = (): void => {
      this.#subscriptions.delete(subscription);
      release();
    };
    const create = platformaticMemberFactory({
      connection,
      options,
      config: this.#config,
      send,
      logger,
      // The classic protocol's members are replaced when one loses its group (coordinator-loss.ts),
      // so the subscription that stops is the one that replaces them.
      onStopped: this.#config.groupProtocol === 'consumer' ? () => stopped() : () => undefined,
    });
    const subscription: Subscription & { start(): Promise<void> } =
      this.#config.groupProtocol === 'consumer'
        ? create(() => undefined)
        : new SelfHealingSubscription(options.groupId, create, logger, stopped, {
            // The classic join already waits for a coordinator (joinClassicGroup).
            startupTimeoutMs: 0,
          });
    this.#subscriptions.add(subscription);
    await subscription.start();
    return subscription;
  }

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

  /**
   * With an instanceId, the group whose transactional id an exactly-once subscription holds until
   * it stops; undefined when ids are random (they never clash).
   */
  #takeTransactionalId({ groupId, exactlyOnce }: SubscriptionOptions): string | undefined {
    const { instanceId } = this.#config;
    if (exactlyOnce !== true || instanceId === undefined) return undefined;
    if (!this.#transactionalGroups.has(groupId)) {
      this.#transactionalGroups.add(groupId);
      return groupId;
    }
    throw new ConfigurationError(
      `PlatformaticKafkaTransport: group "${groupId}" already has an exactly-once subscription on this transport, and with instanceId "${instanceId}" both would use the transactional id "${groupId}-${instanceId}" and fence each other. Stop the first one before subscribing again, or subscribe the second one through a transport with another instanceId (or none).`,
    );
  }

  /** A client call whose errors name this transport's principal (authorization failures). */
  #run<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return withPlatformaticError(action, operation, platformaticPrincipal(this.#config));
  }

  #live(action: string): LiveConnection {
    if (this.#connection === undefined || this.#disconnecting !== undefined) {
      throw new TransportClosedError(action);
    }
    return this.#connection;
  }
}
