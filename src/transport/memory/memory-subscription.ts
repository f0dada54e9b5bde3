import type { Clock } from '../../clock/clock';
import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { redeliveryDelayMs } from '../redelivery-backoff';
import type {
  DeliveredRecord,
  OutgoingRecord,
  RecordOutput,
  Subscription,
  SubscriptionOptions,
  TopicPartition,
} from '../transport';
import { BufferedOutput } from './buffered-output';
import type { MemoryBroker } from './memory-broker';
import type { GroupMember } from './memory-group';
import { PartitionPump } from './partition-pump';

/** One member of a consumer group on the memory broker. */
export class MemorySubscription implements Subscription, GroupMember {
  readonly memberId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly #options: SubscriptionOptions;
  readonly #broker: MemoryBroker;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pumps = new Map<string, PartitionPump>();
  #assignment: readonly TopicPartition[] = [];
  /** While onAssigned runs: seeks of the new partitions, whose pumps start after it returns. */
  #assigning: Map<string, number> | undefined;
  #stopped: Promise<void> | undefined;
  /** Ends the current assignment's onAssigned retries (revoked or stopped). */
  #gate = new AbortController();
  /** The onAssigned retry of the current assignment, while one waits or runs. */
  #retrying: Promise<void> | undefined;
  #appending: RecordOutput | undefined;

  constructor(
    memberId: string,
    options: SubscriptionOptions,
    broker: MemoryBroker,
    clock: Clock,
    logger: Logger,
  ) {
    this.memberId = memberId;
    this.groupId = options.groupId;
    this.topics = [...options.topics];
    this.#options = options;
    this.#broker = broker;
    this.#clock = clock;
    this.#logger = logger;
  }

  join(): Promise<void> {
    const group = this.#broker.group(this.groupId);
    return this.#broker.rebalancing(() => group.join(this, () => this.#partitionCounts()));
  }

  assignment(): readonly TopicPartition[] {
    return this.#assignment;
  }

  seek(topic: string, partition: number, offset: number): void {
    const key = `${topic}:${partition}`;
    const pump = this.#pumps.get(key);
    if (pump === undefined) {
      // As on Kafka, onAssigned may seek the partitions it is given: they start there.
      if (this.#assigning !== undefined && this.#isAssigned(topic, partition)) {
        this.#assigning.set(key, offset);
        return;
      }
      throw new TransportError(
        `Cannot seek ${topic}[${partition}]: it is not assigned to this member of "${this.groupId}". Seek from onAssigned, or rewind the whole group with setCommittedOffsets while it is stopped.`,
        { retriable: false },
      );
    }
    pump.seek(offset);
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#broker.rebalancing(() =>
      this.#broker.group(this.groupId).leave(this, () => this.#partitionCounts()),
    );
    return this.#stopped;
  }

  async revokeAll(): Promise<void> {
    this.#gate.abort();
    await this.#retrying;
    if (this.#assignment.length === 0) return;
    const revoked = this.#assignment;
    const pumps = [...this.#pumps.values()];
    await Promise.all(pumps.map((pump) => pump.stop()));
    for (const pump of pumps) this.#broker.unregisterPump(pump);
    this.#pumps.clear();
    this.#assignment = [];
    await this.#revoked(revoked);
  }

  /**
   * Starts the partitions' pumps only once onAssigned succeeded: until then (it rejected) they
   * are not delivered, and onAssigned is tried again after the redelivery backoff until it
   * succeeds or the partitions are revoked.
   */
  async assign(partitions: readonly TopicPartition[]): Promise<void> {
    this.#assignment = partitions;
    const gate = new AbortController();
    this.#gate = gate;
    const sought = new Map<string, number>();
    if (await this.#runAssigned(partitions, sought, 1)) {
      this.#startPumps(partitions, sought);
      return;
    }
    this.#retrying = this.#retryAssigned(partitions, sought, gate.signal);
  }

  async #retryAssigned(
    partitions: readonly TopicPartition[],
    sought: Map<string, number>,
    stopped: AbortSignal,
  ): Promise<void> {
    for (let attempt = 2; ; attempt++) {
      await this.#clock.sleep(redeliveryDelayMs(attempt - 1), stopped);
      if (stopped.aborted) return;
      const succeeded = await this.#broker.rebalancing(() =>
        this.#runAssigned(partitions, sought, attempt),
      );
      if (stopped.aborted) return;
      if (succeeded) {
        this.#startPumps(partitions, sought);
        return;
      }
    }
  }

  /** onAssigned, with seeks of the new partitions recorded in `sought`; false when it rejected. */
  async #runAssigned(
    partitions: readonly TopicPartition[],
    sought: Map<string, number>,
    attempt: number,
  ): Promise<boolean> {
    this.#assigning = sought;
    try {
      await this.#options.onAssigned?.(partitions, (topic, partition, offset) =>
        this.seek(topic, partition, offset),
      );
      return true;
    } catch (error) {
      this.#logger.error('onAssigned failed; its partitions stay paused until it succeeds', {
        groupId: this.groupId,
        partitions: partitions.map((p) => `${p.topic}[${p.partition}]`).join(', '),
        attempt,
        error,
      });
      return false;
    } finally {
      this.#assigning = undefined;
    }
  }

  #startPumps(partitions: readonly TopicPartition[], sought: ReadonlyMap<string, number>): void {
    const group = this.#broker.group(this.groupId);
    for (const { topic, partition } of partitions) {
      const log = this.#broker.requireTopic(topic).partitions[partition];
      const position =
        sought.get(`${topic}:${partition}`) ??
        group.committed(topic, partition) ??
        (this.#options.offsetReset === 'earliest' ? log.startOffset : log.endOffset);
      const pump = new PartitionPump(
        log,
        position,
        {
          handle: this.#options.handle,
          handleBatch: this.#options.handleBatch,
          complete: (record, buffered) => this.#complete(record, buffered),
          stateChanged: () => this.#broker.stateChanged(),
          reachedEnd: this.#options.onPosition,
        },
        this.#clock,
        this.#logger,
        { concurrency: this.#options.concurrency ?? 1, output: this.#output },
      );
      this.#pumps.set(`${topic}:${partition}`, pump);
      this.#broker.registerPump(pump);
      pump.start();
    }
  }

  #isAssigned(topic: string, partition: number): boolean {
    return this.#assignment.some((tp) => tp.topic === topic && tp.partition === partition);
  }

  /** As on Kafka: an onRevoked that throws is logged, and the rebalance goes on. */
  async #revoked(partitions: readonly TopicPartition[]): Promise<void> {
    try {
      await this.#options.onRevoked?.(partitions);
    } catch (error) {
      this.#logger.error('onRevoked callback failed; the rebalance continues', {
        groupId: this.groupId,
        error,
      });
    }
  }

  /** At-least-once: one output for every record, appending at once. Exactly-once: one per record. */
  readonly #output = (): RecordOutput => {
    if (this.#options.exactlyOnce === true) {
      return new BufferedOutput((topic, records) => this.#broker.validate(topic, records));
    }
    this.#appending ??= {
      produce: (topic: string, records: readonly OutgoingRecord[]) => {
        this.#broker.append(topic, records, this.#clock.now());
        return Promise.resolve();
      },
    };
    return this.#appending;
  };

  /** The output of an exactly-once record and its offset land together, in one synchronous step. */
  #complete(record: DeliveredRecord, buffered: BufferedOutput | undefined): void {
    if (buffered !== undefined) {
      for (const { topic, records } of buffered.pending) {
        this.#broker.append(topic, records, this.#clock.now());
      }
    }
    this.#broker.group(this.groupId).commit(record.topic, record.partition, record.offset + 1);
  }

  #partitionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const name of this.#broker.topicNames()) {
      counts.set(name, this.#broker.requireTopic(name).partitions.length);
    }
    return counts;
  }
}
