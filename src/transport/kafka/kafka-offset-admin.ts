import type { Admin, Kafka } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { assertCommittedOffsetsInput } from '../committed-offsets-input';
import type { KafkaAdminOps } from './kafka-admin-ops';
import { writeCommittedOffsets } from './kafka-offset-writer';

/**
 * Log and committed offsets. kafkajs remembers every topic an admin client has touched and
 * refreshes metadata for all of them together, so once one is deleted every later refresh of that
 * client fails; offset calls record their topic, so each runs on a short-lived admin client. Group
 * state and partition counts come from the long-lived one (KafkaAdminOps).
 */
export class KafkaOffsetAdmin {
  readonly #kafka: Kafka;
  readonly #topics: KafkaAdminOps;
  readonly #logger: Logger;

  constructor(kafka: Kafka, topics: KafkaAdminOps, logger: Logger) {
    this.#kafka = kafka;
    this.#topics = topics;
    this.#logger = logger;
  }

  async endOffsets(topic: string): Promise<number[]> {
    const count = await this.#topics.partitionCount(topic);
    const offsets = await this.#withScopedAdmin((admin) => admin.fetchTopicOffsets(topic));
    return byPartition(
      count,
      offsets.map(({ partition, high }) => ({ partition, offset: high })),
    );
  }

  /** kafkajs' admin lists only the read_committed end (Transport.restoreEndOffsets says so). */
  restoreEndOffsets(topic: string): Promise<number[]> {
    return this.endOffsets(topic);
  }

  async startOffsets(topic: string): Promise<number[]> {
    const count = await this.#topics.partitionCount(topic);
    const offsets = await this.#withScopedAdmin((admin) => admin.fetchTopicOffsets(topic));
    return byPartition(
      count,
      offsets.map(({ partition, low }) => ({ partition, offset: low })),
    );
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    if (!Number.isFinite(timestamp)) {
      throw new TransportError(
        `Kafka: offsetsForTimestamp("${topic}") needs a finite epoch-ms timestamp, got ${String(timestamp)}.`,
        { retriable: false },
      );
    }
    const count = await this.#topics.partitionCount(topic);
    const [found, ends] = await this.#withScopedAdmin((admin) =>
      Promise.all([
        admin.fetchTopicOffsetsByTimestamp(topic, Math.max(0, Math.floor(timestamp))),
        admin.fetchTopicOffsets(topic),
      ]),
    );
    const endByPartition = new Map(ends.map(({ partition, high }) => [partition, high]));
    // kafkajs already maps "no record at or after the timestamp" (-1) to the end offset; a
    // missing partition is treated the same way.
    return byPartition(
      count,
      found.map(({ partition, offset }) => ({
        partition,
        offset: Number(offset) >= 0 ? offset : (endByPartition.get(partition) ?? '0'),
      })),
      (partition) => Number(endByPartition.get(partition) ?? 0),
    );
  }

  async committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    const count = await this.#topics.partitionCount(topic);
    const responses = await this.#withScopedAdmin((admin) =>
      admin.fetchOffsets({ groupId, topics: [topic] }),
    );
    const result: (number | undefined)[] = Array.from({ length: count }, () => undefined);
    for (const { partitions } of responses.filter((response) => response.topic === topic)) {
      for (const { partition, offset } of partitions) {
        const value = Number(offset);
        if (partition < count && Number.isFinite(value) && value >= 0) result[partition] = value;
      }
    }
    return result;
  }

  async setCommittedOffsets(
    groupId: string,
    topic: string,
    offsets: readonly number[],
  ): Promise<void> {
    const count = await this.#topics.partitionCount(topic);
    if (offsets.length === 0) return;
    assertCommittedOffsetsInput(groupId, topic, offsets, count);
    await this.#assertGroupInactive(groupId, topic);
    await writeCommittedOffsets(this.#kafka, { groupId, topic, offsets });
    const written = await this.committedOffsets(groupId, topic);
    const wrong = offsets.findIndex((offset, partition) => written[partition] !== offset);
    if (wrong !== -1) {
      throw new TransportError(
        `Kafka: setting committed offsets of group "${groupId}" on "${topic}" did not take effect (partition ${wrong} is at ${String(written[wrong])}, expected ${offsets[wrong]}); a member may have joined the group meanwhile. Make sure the group is stopped and try again.`,
        { retriable: true },
      );
    }
  }

  async #assertGroupInactive(groupId: string, topic: string): Promise<void> {
    const group = await this.#topics.describeGroup(groupId);
    if (group === undefined || group.state === 'Empty' || group.state === 'Dead') return;
    throw new TransportError(
      `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}": the group is active (state ${group.state}, ${group.members.length} member${group.members.length === 1 ? '' : 's'}). Stop every subscription of the group (in every instance), then set the offsets and start it again.`,
      { retriable: false },
    );
  }

  async #withScopedAdmin<T>(run: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      return await run(admin);
    } finally {
      await admin.disconnect().catch((error: unknown) => {
        this.#logger.debug('closing a short-lived admin client failed', { error });
      });
    }
  }
}

function byPartition(
  count: number,
  entries: readonly { partition: number; offset: string }[],
  fallback: (partition: number) => number = () => 0,
): number[] {
  const result = Array.from({ length: count }, (_, partition) => fallback(partition));
  for (const { partition, offset } of entries) {
    const value = Number(offset);
    if (partition < count && Number.isFinite(value)) result[partition] = value;
  }
  return result;
}
