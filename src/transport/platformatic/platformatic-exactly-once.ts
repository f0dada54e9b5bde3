/**
 * Exactly-once read-process-write on @platformatic/kafka: EOS v2 (KIP-447), as Kafka Streams
 * runs it since 2.6, with either group protocol.
 *
 * Model
 * - One transactional producer per subscription instance (not per input partition as on
 *   kafkajs), its id from platformaticTransactionalId: random, or stable with `instanceId`.
 * - Per partition batch (or part of one, every 100 ms or when its outputs grow large, as on
 *   kafkajs): the outputs of the records handled go into the open transaction, then
 *   TxnOffsetCommit adds the input position after the last of them, carrying the group
 *   membership (see Fencing). If any step fails the transaction is aborted, the producer is
 *   made again with its epoch bumped (its sequence numbers may be behind the broker's), and the
 *   subscription redelivers those records.
 *   Consumers read with isolation read_committed.
 * - The client runs one transaction per producer at a time, so the partitions of the instance
 *   share it (shared-transaction.ts): the batches that reach their commit while one transaction
 *   ends go into the next one together, which commits once each has added its offsets. One
 *   transaction per commit round of the instance, not per partition batch: their round trips
 *   (AddPartitionsToTxn waiting for the last one's markers, AddOffsetsToTxn, EndTxn) were most
 *   of an exactly-once relay's time. One partition's failure aborts the others' parts too.
 *
 * Fencing
 * - A zombie (a member that lost its partitions in a rebalance it did not see) is refused by the
 *   group coordinator: its TxnOffsetCommit carries an old generation (ILLEGAL_GENERATION) or a
 *   member id the group no longer knows (UNKNOWN_MEMBER_ID), so its transaction aborts and its
 *   outputs are never visible.
 * - Classic protocol: the commit carries the generation the batch started under (eager: any
 *   rebalance since revoked every partition, so the commit must be refused).
 * - KIP-848 (groupProtocol "consumer"): a rebalance bumps the member epoch without taking the
 *   partitions that stay, so the commit carries the member id and the epoch at commit time, as
 *   long as the partition stayed with the member since the batch started (a fenced member's
 *   partitions are lost: its batches are refused here, before asking the broker). The
 *   coordinator refuses an epoch its member does not hold the partition at (UNKNOWN_MEMBER_ID
 *   once the member was removed, ILLEGAL_GENERATION for a partition no longer assigned to it).
 * - A zombie's transaction that added its offsets before the rebalance may still commit after
 *   it. The new owner reads the committed offset with require_stable, which waits for such a
 *   transaction to end, and skips the records below it (`prepare`).
 */
import type { Admin, Producer } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import type { OutputSink } from '../batch-output';
import { errorMessage } from '../kafka/kafka-errors';
import { learnWhetherCommitted } from '../kafka/transaction-outcome';
import type { RecordProcessor, SendFn } from '../record-processor';
import type { TopicPartition } from '../transport';
import { GroupCoordinatorLink } from './group-coordinator-link';
import { platformaticPrincipal, type ResolvedPlatformaticConfig } from './platformatic-config';
import { toPlatformaticTransportError } from './platformatic-errors';
import {
  commitOffsetInTransaction,
  createTransactionalProducer,
  type MembershipHold,
  platformaticTransactionalId,
  sendInTransaction,
  stableCommittedOffset,
  type Transaction,
} from './platformatic-transactions';
import { SharedTransactions, type TransactionShare } from './shared-transaction';

export interface PlatformaticExactlyOnceDeps {
  readonly config: ResolvedPlatformaticConfig;
  readonly groupId: string;
  /** The transport's admin client, for the committed offsets. */
  readonly admin: Admin;
  /** The hold of a batch of `partition` on the membership; undefined before an assignment. */
  readonly membership: (partition: TopicPartition) => MembershipHold | undefined;
  /** The at-least-once send, for outputs that came after their transaction committed. */
  readonly sendLate: SendFn;
  readonly logger: Logger;
}

export class PlatformaticExactlyOnceProcessor implements RecordProcessor {
  readonly consumerCommits = false;
  readonly sendLate: SendFn;
  readonly transactionalId: string;
  readonly #deps: PlatformaticExactlyOnceDeps;
  readonly #transactions: SharedTransactions<Transaction>;
  /** TxnOffsetCommit's node, found again after a failed commit: 1.x consumers keep their first. */
  readonly #coordinator: GroupCoordinatorLink;
  #producer: Promise<Producer> | undefined;
  #closed = false;
  /** Stopping: a lost commit outcome is left to the partition's next holder (see halt). */
  #halted = false;

  constructor(deps: PlatformaticExactlyOnceDeps) {
    this.#deps = deps;
    this.sendLate = deps.sendLate;
    this.transactionalId = platformaticTransactionalId(deps.groupId, deps.config.instanceId);
    this.#coordinator = new GroupCoordinatorLink(deps.config, deps.groupId);
    this.#transactions = new SharedTransactions<Transaction>({
      begin: () => this.#begin(),
      end: (transaction, commit) => this.#end(transaction, commit),
    });
  }

  async prepare(partition: TopicPartition): Promise<number | undefined> {
    if (this.#closed) throw revokedError(partition);
    // InitProducerId before the first record: a refused transactional id shows here, not later.
    await this.#producerReady();
    return this.#call('read the committed offset', () =>
      stableCommittedOffset(this.#deps.admin, this.#deps.groupId, partition),
    );
  }

  /** The batch's part in the shared transaction: joined by its first send (or commit). */
  sink(partition: TopicPartition): OutputSink {
    // The membership this batch runs under: a commit after the partition left the member is
    // refused, which is the point.
    const hold = this.#deps.membership(partition);
    let share: TransactionShare<Transaction> | undefined;
    const joined = (): TransactionShare<Transaction> => {
      if (this.#closed || hold === undefined) throw revokedError(partition);
      share ??= this.#transactions.join();
      return share;
    };
    return {
      transactional: true,
      // Calls on the transaction run one at a time (see SharedTransactions.run): sends of one
      // partition never overlap either (partition-send-order.ts says why they must not).
      send: async (entries) => {
        const part = joined();
        await this.#call('write in the transaction', () =>
          part.run((transaction) => sendInTransaction(transaction, entries)),
        );
      },
      commit: async (nextOffset) => {
        const part = joined();
        share = undefined;
        try {
          await this.#call('commit the transaction', async () => {
            await part.run(async (transaction) => {
              const membership = hold?.current();
              if (membership === undefined) throw revokedError(partition);
              const coordinatorId = await this.#coordinator.nodeId();
              await commitOffsetInTransaction(
                transaction,
                membership,
                coordinatorId,
                partition,
                nextOffset,
              );
            });
            await part.commit();
          });
        } catch (error) {
          this.#coordinator.forget();
          await part.abort();
          const holds = () => !this.#closed && !this.#halted && hold?.current() !== undefined;
          if (await this.#committedAnyway(partition, nextOffset, error, holds)) return;
          throw error;
        }
      },
      abort: async () => {
        const part = share;
        share = undefined;
        await part?.abort();
      },
    };
  }

  /**
   * A commit failed, perhaps after its EndTxn reached the coordinator. The failed round let its
   * producer go (#abort): the next one's InitProducerId settles the transaction, and the offset
   * read with require_stable tells its outcome (see ../kafka/transaction-outcome.ts).
   */
  #committedAnyway(
    partition: TopicPartition,
    nextOffset: number,
    error: unknown,
    holds: () => boolean,
  ): Promise<boolean> {
    const { topic, partition: index } = partition;
    return learnWhetherCommitted({
      nextOffset,
      error,
      holds,
      logger: this.#deps.logger,
      fields: { topic, partition: index, transactionalId: this.transactionalId },
      settle: async () => {
        await this.#producerReady();
        return stableCommittedOffset(this.#deps.admin, this.#deps.groupId, partition);
      },
    });
  }

  release(): Promise<void> {
    // Nothing is kept per partition: the producer serves every partition of the instance.
    return Promise.resolve();
  }

  halt(): void {
    this.#halted = true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#discard();
    await this.#coordinator.close();
  }

  async #begin(): Promise<Transaction> {
    if (this.#closed)
      throw new TransportError('Kafka: the subscription stopped.', { retriable: true });
    const producer = await this.#producerReady();
    return this.#call('begin a transaction', () => producer.beginTransaction());
  }

  async #end(transaction: Transaction, commit: boolean): Promise<void> {
    if (!commit) return this.#abort(transaction);
    try {
      await this.#call('commit the transaction', () => transaction.commit());
    } catch (error) {
      await this.#abort(transaction, error);
      throw error;
    }
  }

  /**
   * Aborts, then lets the producer go (see #discard), also when the abort succeeded: the aborted
   * transaction may hold a send the broker wrote without answering, after which the producer's
   * sequence numbers are behind the broker's, and the next transaction's send of as many records
   * would be taken for a retry of it and dropped (see ../producer-id-renewal.ts).
   */
  async #abort(transaction: Transaction, cause?: unknown): Promise<void> {
    try {
      if (!transaction.completed) await transaction.abort();
    } catch (error) {
      this.#deps.logger.warn(
        'the transaction ended in an unknown state; the transactional producer will be made again',
        {
          transactionalId: this.transactionalId,
          error: errorMessage(error),
          cause: cause === undefined ? undefined : errorMessage(cause),
        },
      );
    }
    await this.#discard();
  }

  /**
   * Closes the producer. The next one initialises the same transactional id, which bumps its
   * epoch (see createTransactionalProducer): the coordinator aborts whatever transaction the old
   * one left open, and the sequence numbers start again.
   */
  async #discard(): Promise<void> {
    const pending = this.#producer;
    this.#producer = undefined;
    const producer = await pending?.catch(() => undefined);
    await producer?.close().catch(() => undefined);
  }

  #producerReady(): Promise<Producer> {
    if (this.#producer === undefined) {
      const created = this.#createProducer();
      this.#producer = created;
      // A failed creation is forgotten so that the next attempt starts over.
      created.catch(() => {
        if (this.#producer === created) this.#producer = undefined;
      });
    }
    return this.#producer;
  }

  async #createProducer(): Promise<Producer> {
    const producer = createTransactionalProducer(this.#deps.config, this.transactionalId);
    try {
      // InitProducerId for the transactional id runs with the first transaction; cancelled at
      // once (nothing was sent, no request is made), it leaves the producer initialised.
      await this.#call('initialise the transactional producer', async () => {
        const first = await producer.beginTransaction();
        await first.cancel();
      });
      return producer;
    } catch (error) {
      await producer.close().catch(() => undefined);
      throw error;
    }
  }

  #call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return operation().catch((error: unknown) => {
      throw toPlatformaticTransportError(
        error,
        `${action} of "${this.transactionalId}"`,
        platformaticPrincipal(this.#deps.config),
      );
    });
  }
}

function revokedError(partition: TopicPartition): TransportError {
  return new TransportError(
    `Kafka: partition ${partition.partition} of "${partition.topic}" was revoked (or its subscription stopped) while its batch was being committed; its records are handled again by its holder.`,
    { retriable: true },
  );
}
