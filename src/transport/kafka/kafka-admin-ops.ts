import {
  ConfigResourceTypes,
  type Admin,
  type ITopicConfig,
  type Kafka,
  type IResourceConfigEntry,
} from 'kafkajs';

import { TopicMismatchError } from '../../errors/topic-mismatch-error';
import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Logger } from '../../logging/logger';
import type { TopicDescription, TopicSpec } from '../transport';
import { kafkaErrorType } from './kafka-errors';
import { writeCommittedOffsets } from './kafka-offset-writer';

/**
 * Topic and offset administration over kafkajs' Admin.
 *
 * kafkajs remembers every topic an admin (or producer) has touched and refreshes metadata for all
 * of them together; once one of them is deleted, every later refresh of that client fails with
 * UNKNOWN_TOPIC_OR_PARTITION. So the long-lived admin only runs calls that do not record topics
 * (metadata by name, configs, create/delete, groups), and the offset calls, which do record their
 * topic, run on a short-lived admin each.
 */
export class KafkaAdminOps {
  readonly #kafka: Kafka;
  readonly #admin: Admin;
  readonly #replicationFactor: number;
  readonly #logger: Logger;
  readonly #partitionCounts = new Map<string, number>();

  constructor(kafka: Kafka, options: { replicationFactor: number; logger: Logger }) {
    this.#kafka = kafka;
    this.#admin = kafka.admin();
    this.#replicationFactor = options.replicationFactor;
    this.#logger = options.logger;
  }

  connect(): Promise<void> {
    return this.#admin.connect();
  }

  disconnect(): Promise<void> {
    return this.#admin.disconnect();
  }

  /** All topics, internal ones included. */
  async #allTopics(): Promise<string[]> {
    return this.#admin.listTopics();
  }

  async listTopics(): Promise<string[]> {
    const topics = await this.#allTopics();
    return topics.filter((topic) => !topic.startsWith('__')).sort();
  }

  /** Throws UnknownTopicError for the first of `topics` that does not exist. */
  async requireTopics(topics: readonly string[]): Promise<void> {
    const existing = new Set(await this.#allTopics());
    const missing = topics.find((topic) => !existing.has(topic));
    if (missing !== undefined) throw new UnknownTopicError(missing);
  }

  /** Partition count of an existing topic (cached; `refresh` asks the broker again). */
  async partitionCount(topic: string, refresh = false): Promise<number> {
    const cached = this.#partitionCounts.get(topic);
    if (cached !== undefined && !refresh) return cached;
    await this.requireTopics([topic]);
    const count = await this.#fetchPartitionCount(topic);
    if (count === undefined) throw new UnknownTopicError(topic);
    this.#partitionCounts.set(topic, count);
    return count;
  }

  /** Rejects partitions outside the topic before anything is sent (kafkajs would retry forever). */
  async validatePartitions(topic: string, partitions: readonly number[]): Promise<void> {
    const highest = partitions.reduce((max, partition) => Math.max(max, partition), 0);
    let count = await this.partitionCount(topic);
    if (highest < count) return;
    count = await this.partitionCount(topic, true);
    if (highest >= count) {
      throw new TopicMismatchError(
        topic,
        `a record was addressed to partition ${highest}, but the topic has ${count} partition${count === 1 ? '' : 's'} (0..${count - 1})`,
      );
    }
  }

  forgetTopics(topics: readonly string[]): void {
    for (const topic of topics) this.#partitionCounts.delete(topic);
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const configs = specs.map((spec) => this.#topicConfig(spec));
    if (configs.length === 0) return;
    const existing = new Set(await this.#allTopics());
    const missing = configs.filter((config) => !existing.has(config.topic));
    if (missing.length > 0) {
      try {
        // Resolves false when the topics exist already (a concurrent create): nothing to do.
        await this.#admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (error) {
        if (!onlyAlreadyExists(error)) throw error;
      }
      this.#logger.info('created topics', { topics: missing.map((config) => config.topic) });
    }
    for (const spec of specs) this.#partitionCounts.delete(spec.name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const existing = await this.#allTopics();
    if (!existing.includes(name)) return undefined;
    try {
      const partitions = await this.#fetchPartitionCount(name);
      if (partitions === undefined) return undefined;
      this.#partitionCounts.set(name, partitions);
      const { resources } = await this.#admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] }],
      });
      const policy = resources
        .flatMap((resource) => resource.configEntries)
        .find((entry) => entry.configName === 'cleanup.policy')?.configValue;
      const compacted = (policy ?? 'delete')
        .split(',')
        .map((part) => part.trim())
        .includes('compact');
      return { name, partitions, compacted };
    } catch (error) {
      if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
      throw error;
    }
  }

  /** Deletes the topics that exist; returns their names. */
  async deleteTopics(names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const existing = new Set(await this.#allTopics());
    const present = [...new Set(names)].filter((name) => existing.has(name));
    this.forgetTopics(names);
    if (present.length === 0) return [];
    try {
      await this.#admin.deleteTopics({ topics: present });
    } catch (error) {
      // Deleted concurrently by someone else: the goal is reached.
      if (kafkaErrorType(error) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    }
    return present;
  }

  async endOffsets(topic: string): Promise<number[]> {
    const count = await this.partitionCount(topic);
    const offsets = await this.#withScopedAdmin((admin) => admin.fetchTopicOffsets(topic));
    return byPartition(
      count,
      offsets.map(({ partition, high }) => ({ partition, offset: high })),
    );
  }

  async startOffsets(topic: string): Promise<number[]> {
    const count = await this.partitionCount(topic);
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
    const count = await this.partitionCount(topic);
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
    const count = await this.partitionCount(topic);
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
    const count = await this.partitionCount(topic);
    if (offsets.length === 0) return;
    if (offsets.length > count) {
      throw new TransportError(
        `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}": ${offsets.length} offsets were given but the topic has ${count} partitions; pass one offset per partition (index = partition).`,
        { retriable: false },
      );
    }
    offsets.forEach((offset, partition) => {
      if (!Number.isSafeInteger(offset) || offset < 0) {
        throw new TransportError(
          `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}": the offset for partition ${partition} is ${String(offset)}; use a whole number >= 0 (e.g. from startOffsets or offsetsForTimestamp).`,
          { retriable: false },
        );
      }
    });
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
    const { groups } = await this.#admin.describeGroups([groupId]);
    const group = groups.find((candidate) => candidate.groupId === groupId);
    if (group === undefined || group.state === 'Empty' || group.state === 'Dead') return;
    throw new TransportError(
      `Kafka: cannot set committed offsets of group "${groupId}" on "${topic}": the group is active (state ${group.state}, ${group.members.length} member${group.members.length === 1 ? '' : 's'}). Stop every subscription of the group (in every instance), then set the offsets and start it again.`,
      { retriable: false },
    );
  }

  async #fetchPartitionCount(topic: string): Promise<number | undefined> {
    const { topics } = await this.#admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics.find((candidate) => candidate.name === topic);
    return found === undefined ? undefined : found.partitions.length;
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

  #topicConfig(spec: TopicSpec): ITopicConfig {
    if (typeof spec.name !== 'string' || spec.name.trim() === '') {
      throw invalidSpec(String(spec.name), 'the name must be a non-empty string');
    }
    if (!Number.isSafeInteger(spec.partitions) || spec.partitions < 1) {
      throw invalidSpec(
        spec.name,
        `partitions is ${String(spec.partitions)}; use a whole number >= 1`,
      );
    }
    const entries: IResourceConfigEntry[] = [];
    let policy: string | undefined;
    for (const [name, value] of Object.entries(spec.config ?? {})) {
      if (typeof value !== 'string') {
        throw invalidSpec(spec.name, `config "${name}" must be a string value`);
      }
      if (name === 'cleanup.policy') policy = value;
      else entries.push({ name, value });
    }
    if (policy !== undefined) {
      const compact = policy
        .split(',')
        .map((part) => part.trim())
        .includes('compact');
      if (compact !== spec.compacted) {
        throw invalidSpec(
          spec.name,
          `config cleanup.policy="${policy}" contradicts compacted: ${String(spec.compacted)}; drop cleanup.policy from config or make them agree`,
        );
      }
    } else if (spec.compacted) {
      policy = 'compact';
    }
    if (policy !== undefined) entries.unshift({ name: 'cleanup.policy', value: policy });
    return {
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor: this.#replicationFactor,
      configEntries: entries,
    };
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

function onlyAlreadyExists(error: unknown): boolean {
  if (kafkaErrorType(error) === 'TOPIC_ALREADY_EXISTS') return true;
  if (typeof error === 'object' && error !== null && 'errors' in error) {
    const errors = error.errors;
    return (
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((inner) => kafkaErrorType(inner) === 'TOPIC_ALREADY_EXISTS')
    );
  }
  return false;
}

function invalidSpec(topic: string, problem: string): TransportError {
  return new TransportError(`Kafka: cannot create topic "${topic}": ${problem}.`, {
    retriable: false,
  });
}
