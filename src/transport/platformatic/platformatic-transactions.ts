import { randomUUID } from 'node:crypto';

import {
  type Admin,
  type Consumer,
  type Message,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import type { TopicRecords } from '../kafka/kafka-records';
import type { TopicPartition } from '../transport';
import { answerMissingNodes } from './missing-node-lookup';
import { platformaticClientOptions, type ResolvedPlatformaticConfig } from './platformatic-config';
import { toPlatformaticMessages } from './platformatic-records';

/** The client's transaction (its class is not exported by name). */
export type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

/**
 * What an EOS v2 offset commit carries for the group coordinator to fence a zombie: the classic
 * group's generation, or a KIP-848 member's epoch (the same request field), and the member id.
 */
export interface GroupMembership {
  readonly consumer: Consumer;
  readonly generationId: number;
  readonly memberId: string;
}

/**
 * A partition batch's hold on its group membership, taken when the batch starts. `current` is
 * what its offset commit carries, asked for at commit time; undefined once the partition left
 * the member since the hold was taken (the transaction must not commit its offsets).
 */
export interface MembershipHold {
  readonly current: () => GroupMembership | undefined;
}

/**
 * The transactional id of one subscription instance. With EOS v2 the group coordinator fences a
 * zombie by the generation its offset commits carry, so the id no longer has to follow the input
 * partitions (kafkajs' `<group>-<topic>-<partition>`, which a new owner had to take over to fence
 * the old one). What Kafka still needs of it:
 * - unique among live instances: two producers on one id fence each other, so a random part
 *   unless the instance has a name of its own (`instanceId`) that no other live one shares;
 * - stable for the life of the instance: one InitProducerId, then every transaction on it;
 * - the `<group>-` prefix, which `streamwise acls` grants (prefixed TRANSACTIONAL_ID WRITE).
 * A random id is not stable across restarts: a transaction left open by a killed instance is
 * aborted by the coordinator after the transaction timeout (transactionTimeoutMs, 10 s by
 * default, found by a check that runs every 10 s), not at once by a successor taking over its id.
 * Until then read_committed readers wait at its first record, so they also wait for everything
 * written after it (the successor's committed output too), and the partitions' new owners wait
 * for its offsets (requireStable). With an `instanceId` the restarted instance takes the id over:
 * its InitProducerId makes the coordinator abort that transaction before the first new one.
 */
export function platformaticTransactionalId(groupId: string, instanceId?: string): string {
  return `${groupId}-${instanceId ?? randomUUID()}`;
}

/**
 * After a commit the coordinator writes its markers before it accepts the next transaction's
 * first request (CONCURRENT_TRANSACTIONS, a few ms): the configured 250 ms retry delay would
 * then cost every transaction that much. Short retries first, growing to the configured delay.
 */
const FIRST_RETRY_MS = 10;
const TRANSACTION_RETRIES = 10;

/**
 * InitProducerId says it knows no producer of the transactional id (producer id and epoch -1),
 * as Kafka's own clients do: the coordinator fences whichever producer the id had (a restarted
 * instance's, or the one made again after an abort), aborts the transaction it left open at once
 * and bumps the epoch, so the sequence numbers start again. The client's own default, producer
 * id 0, is refused (PRODUCER_FENCED) once the transactional id has a producer.
 */
export function createTransactionalProducer(
  config: ResolvedPlatformaticConfig,
  transactionalId: string,
): Producer {
  const maxDelay = config.retry.retryDelayMs;
  const producer = new Producer({
    ...platformaticClientOptions(config, 'transactional'),
    producerId: -1n,
    producerEpoch: -1,
    // The client sends `timeout` as InitProducerId's transaction timeout (and as Produce's wait
    // for acknowledgements, which a single transaction's sends stay well within).
    timeout: config.transactionTimeoutMs,
    transactionalId,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    compression: config.producer.compression,
    retries: Math.max(config.retry.retries, TRANSACTION_RETRIES),
    retryDelay: (_client, _operation, attempt) =>
      Math.min(maxDelay, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1)),
  });
  answerMissingNodes(
    producer,
    () =>
      new TransportError(
        `Kafka: a coordinator of "${transactionalId}" (of its transactions, or of its group's offsets) is no longer in the cluster; the transaction is aborted and a new producer finds the one that took over.`,
        { retriable: true },
      ),
  );
  return producer;
}

export async function sendInTransaction(
  transaction: Transaction,
  entries: readonly TopicRecords[],
): Promise<void> {
  const messages = toPlatformaticMessages(entries, Date.now());
  if (messages.length === 0) return;
  await transaction.send({ messages, acks: ProduceAcks.ALL });
}

/**
 * Adds the input position `nextOffset` of `partition` to the transaction (AddOffsetsToTxn once,
 * then TxnOffsetCommit to the group coordinator, node `coordinatorId`) with the generation (or
 * member epoch) and member id of `membership`: the
 * coordinator refuses it (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID) once the group moved on without
 * this member, so a zombie's transaction cannot commit offsets of partitions it lost. (A commit
 * with no member id and generation -1 is not checked at all: never send one.)
 */
export async function commitOffsetInTransaction(
  transaction: Transaction,
  membership: GroupMembership,
  coordinatorId: number,
  partition: TopicPartition,
  nextOffset: number,
): Promise<void> {
  await transaction.addConsumer(membership.consumer);
  await transaction.addOffset(offsetMessage(membership, coordinatorId, partition, nextOffset));
}

/**
 * The client takes the offset to commit as "a consumed message" and reads only its topic,
 * partition, offset (it commits offset + 1) and `metadata.consumer`; the record fields are empty.
 */
function offsetMessage(
  { consumer, generationId, memberId }: GroupMembership,
  coordinatorId: number,
  { topic, partition }: TopicPartition,
  nextOffset: number,
): Message {
  const offset = BigInt(nextOffset - 1);
  const metadata = {
    consumer: {
      groupId: consumer.groupId,
      generationId,
      memberId,
      coordinatorId,
    },
  };
  const empty = Buffer.alloc(0);
  return {
    topic,
    partition,
    offset,
    key: empty,
    value: empty,
    timestamp: 0n,
    headers: new Map(),
    metadata,
    commit: () => Promise.resolve(),
    toJSON: () => ({
      topic,
      partition,
      offset: offset.toString(),
      key: empty,
      value: empty,
      timestamp: '0',
      headers: [],
      metadata,
    }),
  };
}

/**
 * The group's committed offset of `partition`, with require_stable: while a transaction that
 * carries offsets of the group is open (a zombie's, or a killed instance's until it times out),
 * the coordinator answers UNSTABLE_OFFSET_COMMIT instead of the offset before it, which the
 * caller retries. Without it a new owner could start below what that transaction commits.
 */
export async function stableCommittedOffset(
  admin: Admin,
  groupId: string,
  { topic, partition }: TopicPartition,
): Promise<number | undefined> {
  const groups = await admin.listConsumerGroupOffsets({
    groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [partition] }] }],
    requireStable: true,
  });
  for (const group of groups) {
    if (group.groupId !== groupId) continue;
    for (const entry of group.topics) {
      if (entry.name !== topic) continue;
      for (const { partitionIndex, committedOffset } of entry.partitions) {
        if (partitionIndex === partition && committedOffset >= 0n) return Number(committedOffset);
      }
    }
  }
  return undefined;
}
