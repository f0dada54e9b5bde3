/**
 * Exactly-once read-process-write on kafkajs ("EOS v1" with one transactional id per input
 * partition, as Kafka Streams did before KIP-447).
 *
 * Model
 * - Each assigned input partition gets its own transactional producer, transactional id
 *   `${groupId}-${topic}-${partition}` (idempotent, maxInFlightRequests 1), created when the
 *   partition is first used in an assignment and closed when the partition is revoked.
 * - Per batch (or part of a batch, when its outputs grow large): the outputs of every record
 *   handled go into one transaction, then `sendOffsets` adds the input position after the last
 *   of them, then commit (like Kafka Streams' commit interval). A failed step aborts it (a
 *   producer in an unknown state is made again), and its records are delivered again.
 * - Consumers read with isolation read_committed, so aborted output is never seen downstream.
 *
 * Fencing, and its limits
 * - kafkajs has no EOS v2: TxnOffsetCommit carries no consumer-group generation, so the group
 *   coordinator cannot reject a commit from a member that lost the partition. Fencing relies on the
 *   transactional id instead: the id is the same for whoever owns the input partition, so the new
 *   owner's InitProducerId bumps the producer epoch; the broker then rejects the old owner's (the
 *   zombie's) writes and commit, and aborts its open transaction.
 * - A zombie may commit a transaction after the new owner read the committed offset but before the
 *   new owner's InitProducerId. To close that window, `prepare` initializes the producer (fencing
 *   the zombie and waiting out its pending transaction) and only then reads the committed offset;
 *   records below it are skipped. (Java clients get this from OffsetFetch requireStable.)
 * - The rebalance protocol is eager (kafkajs): every rebalance closes and re-creates the
 *   producers (one connection set each) of all partitions of the member.
 */
import { type Kafka, Partitioners, type Producer, type Transaction } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import type { OutputSink } from '../batch-output';
import { partitionKey } from '../partition-key';
import type { RecordProcessor, SendFn } from '../record-processor';
import type { TopicPartition } from '../transport';
import { errorMessage, isFencedError } from './kafka-errors';
import type { KafkaRecordWriter } from './kafka-record-writer';
import { learnWhetherCommitted } from './transaction-outcome';

export interface ExactlyOnceDeps {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly writer: KafkaRecordWriter;
  /** The group's committed offset for one partition (undefined when none). */
  readonly committedOffset: (partition: TopicPartition) => Promise<number | undefined>;
  /** The at-least-once send, for outputs that came after their transaction committed. */
  readonly sendLate: SendFn;
  readonly logger: Logger;
}

export function transactionalIdFor(groupId: string, { topic, partition }: TopicPartition): string {
  return `${groupId}-${topic}-${partition}`;
}

export class ExactlyOnceProcessor implements RecordProcessor {
  readonly consumerCommits = false;
  readonly #deps: ExactlyOnceDeps;
  readonly sendLate: SendFn;
  readonly #producers = new Map<string, Promise<Producer>>();
  /**
   * Bumped per partition when it is released, and for all at close: a sink made before that must
   * not create a producer again (it would outlive the assignment and keep a connection open).
   */
  readonly #epochs = new Map<string, number>();
  #closed = false;
  /** The subscription stops: a lost commit outcome is left to the partition's next holder. */
  #halted = false;
  /**
   * Partitions whose producer was fenced: another member initialised their transactional id, so
   * it holds them now. No producer is made for them again (that would fence the new holder in
   * turn) until this member is assigned them anew and prepares them.
   */
  readonly #fenced = new Set<string>();

  constructor(deps: ExactlyOnceDeps) {
    this.#deps = deps;
    this.sendLate = deps.sendLate;
  }

  async prepare(partition: TopicPartition): Promise<number | undefined> {
    if (this.#closed) throw revokedError(partition);
    this.#fenced.delete(partitionKey(partition));
    await this.#producerFor(partition);
    return this.#deps.committedOffset(partition);
  }

  /**
   * The partition's transaction: opened by the first send (or commit), it carries the outputs of
   * every record handled since the last commit and, at commit, their input offsets.
   */
  sink(partition: TopicPartition): OutputSink {
    const key = partitionKey(partition);
    const epoch = this.#epochs.get(key) ?? 0;
    let open: Promise<Transaction> | undefined;
    const begin = (): Promise<Transaction> => {
      if (!holds()) return Promise.reject(revokedError(partition));
      open ??= this.#begin(partition);
      const current = open;
      // A failed begin leaves nothing open: the next send or commit starts over.
      current.catch(() => {
        if (open === current) open = undefined;
      });
      return current;
    };
    const holds = () =>
      !this.#closed && (this.#epochs.get(key) ?? 0) === epoch && !this.#fenced.has(key);
    const noteFencing = async (error: unknown): Promise<never> => {
      if (isFencedError(error)) {
        this.#fenced.add(key);
        await this.#close(key);
      }
      throw error;
    };
    return {
      transactional: true,
      send: async (entries) => {
        await this.#deps.writer.writeMany(await begin(), entries).catch(noteFencing);
      },
      commit: async (nextOffset) => {
        const transaction = await begin();
        open = undefined;
        try {
          await transaction.sendOffsets({
            consumerGroupId: this.#deps.groupId,
            topics: [
              {
                topic: partition.topic,
                partitions: [{ partition: partition.partition, offset: String(nextOffset) }],
              },
            ],
          });
          await transaction.commit();
        } catch (error) {
          if (isFencedError(error)) await noteFencing(error);
          if (transaction.isActive()) {
            await this.#abort(partition, transaction);
            throw error;
          }
          const waits = () => holds() && !this.#halted;
          if (waits() && (await this.#committedAnyway(partition, nextOffset, error, waits))) return;
          throw error;
        }
      },
      abort: async () => {
        const pending = open;
        open = undefined;
        const transaction = await pending?.catch(() => undefined);
        if (transaction !== undefined) await this.#abort(partition, transaction);
      },
    };
  }

  /** See transaction-outcome.ts: resolves true only once the transaction is known to have committed. */
  #committedAnyway(
    partition: TopicPartition,
    nextOffset: number,
    error: unknown,
    holds: () => boolean,
  ): Promise<boolean> {
    const fields = {
      topic: partition.topic,
      partition: partition.partition,
      transactionalId: transactionalIdFor(this.#deps.groupId, partition),
    };
    this.#deps.logger.warn(
      'committing a transaction failed with its outcome unknown; the transactional producer is re-created to settle it',
      { ...fields, error: errorMessage(error) },
    );
    return learnWhetherCommitted({
      nextOffset,
      error,
      holds,
      logger: this.#deps.logger,
      fields,
      settle: async () => {
        await this.#close(partitionKey(partition));
        await this.#producerFor(partition);
        return this.#deps.committedOffset(partition);
      },
    });
  }

  async #begin(partition: TopicPartition): Promise<Transaction> {
    const producer = await this.#producerFor(partition);
    try {
      return await producer.transaction();
    } catch (error) {
      await this.#discard(partition, 'beginning a transaction failed', error);
      throw error;
    }
  }

  async release(partitions: readonly TopicPartition[]): Promise<void> {
    for (const partition of partitions) {
      const key = partitionKey(partition);
      this.#epochs.set(key, (this.#epochs.get(key) ?? 0) + 1);
      this.#fenced.delete(key);
    }
    await Promise.all(partitions.map((partition) => this.#close(partitionKey(partition))));
  }

  halt(): void {
    this.#halted = true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#producers.keys()].map((key) => this.#close(key)));
  }

  /**
   * Aborts, then lets the producer go, also when the abort succeeded: the aborted transaction may
   * hold a send the broker wrote without answering, after which kafkajs' sequence numbers are
   * behind the broker's, and the next transaction's send of as many records would be taken for a
   * retry of it and dropped. The next producer of the transactional id bumps its epoch, which
   * starts them again.
   */
  async #abort(partition: TopicPartition, transaction: Transaction): Promise<void> {
    if (!transaction.isActive()) {
      // Failed while committing: the producer's transaction state is unknown.
      await this.#discard(partition, 'the transaction ended in an unknown state', undefined);
      return;
    }
    try {
      await transaction.abort();
    } catch (error) {
      await this.#discard(partition, 'aborting the transaction failed', error);
      return;
    }
    await this.#close(partitionKey(partition));
  }

  async #discard(partition: TopicPartition, reason: string, error: unknown): Promise<void> {
    this.#deps.logger.warn(`${reason}; the transactional producer will be re-created`, {
      topic: partition.topic,
      partition: partition.partition,
      transactionalId: transactionalIdFor(this.#deps.groupId, partition),
      error: error === undefined ? undefined : errorMessage(error),
    });
    await this.#close(partitionKey(partition));
  }

  #producerFor(partition: TopicPartition): Promise<Producer> {
    const key = partitionKey(partition);
    let producer = this.#producers.get(key);
    if (producer === undefined) {
      producer = this.#createProducer(partition);
      this.#producers.set(key, producer);
      // A failed creation is forgotten so that the next attempt starts over.
      producer.catch(() => {
        if (this.#producers.get(key) === producer) this.#producers.delete(key);
      });
    }
    return producer;
  }

  async #createProducer(partition: TopicPartition): Promise<Producer> {
    const producer = this.#deps.kafka.producer({
      transactionalId: transactionalIdFor(this.#deps.groupId, partition),
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // A transaction that starts while the previous commit is still completing gets
      // CONCURRENT_TRANSACTIONS; kafkajs' default first retry (300 ms) then dominates the cost of
      // every record. A short first retry measured about 10x more records/s (bench/).
      retry: { initialRetryTime: 25, retries: 10 },
    });
    try {
      await producer.connect();
      // kafkajs runs InitProducerId for the transactional id on its first transaction: start and
      // abort an empty one now, so the epoch bump (fencing) happens before any record is read.
      const init = await producer.transaction();
      await init.abort();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async #close(key: string): Promise<void> {
    const pending = this.#producers.get(key);
    if (pending === undefined) return;
    this.#producers.delete(key);
    try {
      const producer = await pending;
      await producer.disconnect();
    } catch {
      // Creation failed (already logged by the caller) or the connection is already gone.
    }
  }
}

function revokedError(partition: TopicPartition): TransportError {
  return new TransportError(
    `Kafka: partition ${partition.partition} of "${partition.topic}" was revoked (or its transactional producer fenced by a new holder) while its batch was being committed; its records are handled again by its holder.`,
    { retriable: true },
  );
}
