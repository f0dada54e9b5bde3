import { FetchIsolationLevels, type FetchIsolationLevelValue } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import { assertCommittedOffsetsInput } from '../committed-offsets-input';
import type { PlatformaticTopics } from './platformatic-topics';

/** ListOffsets' special timestamps: the log end and the log start. */
const LATEST = -1n;
const EARLIEST = -2n;

/** Log and committed offsets through the transport's Admin. */
export class PlatformaticOffsets {
  readonly #topics: PlatformaticTopics;

  constructor(topics: PlatformaticTopics) {
    this.#topics = topics;
  }

  endOffsets(topic: string): Promise<number[]> {
    return this.#listOffsets(topic, LATEST);
  }

  restoreEndOffsets(topic: string): Promise<number[]> {
    return this.#listOffsets(topic, LATEST, FetchIsolationLevels.READ_UNCOMMITTED);
  }

  startOffsets(topic: string): Promise<number[]> {
    return this.#listOffsets(topic, EARLIEST);
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    if (!Number.isFinite(timestamp)) {
      throw new TransportError(
        `Kafka: offsetsForTimestamp("${topic}") needs a finite epoch-ms timestamp, got ${String(timestamp)}.`,
        { retriable: false },
      );
    }
    const [found, ends] = await Promise.all([
      this.#listOffsets(topic, BigInt(Math.max(0, Math.floor(timestamp)))),
      this.endOffsets(topic),
    ]);
    // No record at or after the timestamp: the broker answers -1; the contract says "the end".
    return found.map((offset, partition) => (offset >= 0 ? offset : (ends[partition] ?? 0)));
  }

  async committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    const count = await this.#topics.partitionCount(topic);
    const groups = await this.#topics.admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: range(count) }] }],
    });
    const result: (number | undefined)[] = Array.from({ length: count }, () => undefined);
    for (const group of groups.filter((candidate) => candidate.groupId === groupId)) {
      for (const entry of group.topics.filter((candidate) => candidate.name === topic)) {
        for (const { partitionIndex, committedOffset } of entry.partitions) {
          const value = Number(committedOffset);
          if (partitionIndex < count && value >= 0) result[partitionIndex] = value;
        }
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
    await this.#topics.admin.alterConsumerGroupOffsets({
      groupId,
      topics: [
        {
          name: topic,
          partitionOffsets: offsets.map((offset, partition) => ({
            partition,
            offset: BigInt(offset),
          })),
        },
      ],
    });
  }

  async #assertGroupInactive(groupId: string, topic: string): Promise<void> {
    const groups = await this.#topics.admin.describeGroups({ groups: [groupId] });
    const group = groups.get(groupId);
    if (group === undefined || group.state === 'EMPTY' || group.state === 'DEAD') return;
    const members = group.members.size;
    throw new TransportError(
      `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}": the group is active (state ${group.state}, ${members} member${members === 1 ? '' : 's'}). Stop every subscription of the group (in every instance), then set the offsets and start it again.`,
      { retriable: false },
    );
  }

  /**
   * By default the end a read_committed reader reaches (the last stable offset), as every
   * streamwise reader reads and kafkajs answers: the high watermark would count the records of a
   * transaction still open, which no reader gets before it ends (a view's start waited for it).
   */
  async #listOffsets(
    topic: string,
    timestamp: bigint,
    isolationLevel: FetchIsolationLevelValue = FetchIsolationLevels.READ_COMMITTED,
  ): Promise<number[]> {
    const count = await this.#topics.partitionCount(topic);
    const listed = await this.#topics.admin.listOffsets({
      isolationLevel,
      topics: [
        {
          name: topic,
          partitions: range(count).map((partitionIndex) => ({ partitionIndex, timestamp })),
        },
      ],
    });
    const result = Array.from({ length: count }, () => 0);
    for (const entry of listed.filter((candidate) => candidate.name === topic)) {
      for (const { partitionIndex, offset } of entry.partitions) {
        if (partitionIndex < count) result[partitionIndex] = Number(offset);
      }
    }
    return result;
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
