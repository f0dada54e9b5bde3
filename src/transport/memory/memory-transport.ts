import type { Clock } from '../../clock/clock';
import { SystemClock } from '../../clock/system-clock';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Logger } from '../../logging/logger';
import { SilentLogger } from '../../logging/silent-logger';
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
import { MemoryBroker } from './memory-broker';
import { MemorySubscription } from './memory-subscription';

export interface MemoryTransportOptions {
  /** Share one broker between transports to model several processes on one cluster. */
  readonly broker?: MemoryBroker;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly clientId?: string;
}

let clientCounter = 0;

/** The embedded transport: Kafka's semantics in one process, for unit tests and the demo. */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly broker: MemoryBroker;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #clientId: string;
  readonly #subscriptions = new Set<MemorySubscription>();
  #connected = false;
  #members = 0;

  constructor(options: MemoryTransportOptions = {}) {
    this.broker = options.broker ?? new MemoryBroker();
    this.#clock = options.clock ?? new SystemClock();
    this.#logger = options.logger ?? new SilentLogger();
    this.#clientId = options.clientId ?? `memory-client-${++clientCounter}`;
  }

  connect(): Promise<void> {
    this.#connected = true;
    return Promise.resolve();
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    this.#subscriptions.clear();
    this.#connected = false;
  }

  createTopics(specs: readonly TopicSpec[]): Promise<void> {
    return this.#run('create topics', () => {
      for (const spec of specs) {
        if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
          throw new TransportError(`Topic "${spec.name}" needs at least one partition.`, {
            retriable: false,
          });
        }
        this.broker.createTopic(spec);
      }
    });
  }

  describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.#run('describe a topic', () => {
      const topic = this.broker.topic(name);
      return topic === undefined
        ? undefined
        : { name, partitions: topic.partitions.length, compacted: topic.compacted };
    });
  }

  listTopics(): Promise<string[]> {
    return this.#run('list topics', () => this.broker.topicNames());
  }

  deleteTopics(names: readonly string[]): Promise<void> {
    return this.#run('delete topics', () => {
      for (const name of names) this.broker.deleteTopic(name);
    });
  }

  produce(topic: string, records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    return this.#run('produce', () => this.broker.append(topic, records, this.#clock.now()));
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    this.#requireConnected('subscribe');
    validateSubscription(options);
    for (const topic of options.topics) this.broker.requireTopic(topic);
    const subscription = new MemorySubscription(
      `${this.#clientId}-${++this.#members}`,
      options,
      this.broker,
      this.#clock,
      this.#logger,
    );
    this.#subscriptions.add(subscription);
    await subscription.join();
    return subscription;
  }

  endOffsets(topic: string): Promise<number[]> {
    return this.#run('read end offsets', () =>
      this.broker.requireTopic(topic).partitions.map((p) => p.endOffset),
    );
  }

  /** Records of an exactly-once batch are appended at its commit: the log end is the stable end. */
  restoreEndOffsets(topic: string): Promise<number[]> {
    return this.endOffsets(topic);
  }

  startOffsets(topic: string): Promise<number[]> {
    return this.#run('read start offsets', () =>
      this.broker.requireTopic(topic).partitions.map((p) => p.startOffset),
    );
  }

  offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    return this.#run('look up offsets by time', () =>
      this.broker.requireTopic(topic).partitions.map((p) => p.offsetForTimestamp(timestamp)),
    );
  }

  committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    return this.#run('read committed offsets', () =>
      this.broker
        .group(groupId)
        .committedFor(topic, this.broker.requireTopic(topic).partitions.length),
    );
  }

  setCommittedOffsets(groupId: string, topic: string, offsets: readonly number[]): Promise<void> {
    return this.#run('set committed offsets', () => {
      const group = this.broker.group(groupId);
      if (group.memberCount > 0) {
        throw new TransportError(
          `Cannot reset offsets of group "${groupId}" while it has ${group.memberCount} running member(s): stop its instances first.`,
          { retriable: false },
        );
      }
      const partitions = this.broker.requireTopic(topic).partitions.length;
      offsets.forEach((offset, partition) => {
        if (partition >= partitions) throw new UnknownTopicError(`${topic}[${partition}]`);
        group.commit(topic, partition, offset);
      });
    });
  }

  #requireConnected(action: string): void {
    if (!this.#connected) throw new TransportClosedError(action);
  }

  #run<T>(action: string, work: () => T): Promise<T> {
    try {
      this.#requireConnected(action);
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
