import { type Admin, ConfigResourceTypes, type GroupDescription, type Kafka } from 'kafkajs';

import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Logger } from '../../logging/logger';
import { PartitionCounts } from '../partition-bounds';
import type { TopicDescription, TopicSpec } from '../transport';
import { kafkaErrorType } from './kafka-errors';
import { toTopicConfig } from './kafka-topic-spec';
import { waitForLeaders } from './wait-for-leaders';

/**
 * Topic and group administration over one long-lived kafkajs Admin.
 *
 * kafkajs remembers every topic an admin (or producer) has touched and refreshes metadata for all
 * of them together; once one of them is deleted, every later refresh of that client fails with
 * UNKNOWN_TOPIC_OR_PARTITION. So this admin only runs calls that do not record topics (metadata
 * by name, configs, create/delete, groups); the offset calls, which do record their topic, are in
 * kafka-offset-admin.ts and run on a short-lived admin each.
 */
export class KafkaAdminOps {
  readonly #admin: Admin;
  readonly #replicationFactor: number | undefined;
  readonly #logger: Logger;
  readonly #leaderWaitMs: number;
  readonly #partitionCounts = new PartitionCounts((topic) => this.#askPartitionCount(topic));
  readonly #secured: { readonly principal: string | undefined } | undefined;

  constructor(
    kafka: Kafka,
    options: {
      replicationFactor: number | undefined;
      logger: Logger;
      leaderWaitMs?: number;
      /** Set on a connection with a login or TLS: the principal, for UnknownTopicError. */
      secured?: { readonly principal: string | undefined };
    },
  ) {
    this.#secured = options.secured;
    this.#admin = kafka.admin();
    this.#replicationFactor = options.replicationFactor;
    this.#logger = options.logger;
    this.#leaderWaitMs = options.leaderWaitMs ?? 30_000;
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
    if (missing !== undefined) throw new UnknownTopicError(missing, this.#secured);
  }

  /** Partition count of an existing topic (cached; `refresh` asks the broker again). */
  partitionCount(topic: string, refresh = false): Promise<number> {
    return this.#partitionCounts.get(topic, refresh);
  }

  async #askPartitionCount(topic: string): Promise<number> {
    await this.requireTopics([topic]);
    const count = await this.#fetchPartitionCount(topic);
    if (count === undefined) throw new UnknownTopicError(topic, this.#secured);
    return count;
  }

  /** Rejects partitions outside the topic before anything is sent (kafkajs would retry forever). */
  validatePartitions(topic: string, partitions: readonly number[]): Promise<void> | undefined {
    return this.#partitionCounts.validate(topic, partitions);
  }

  forgetTopics(topics: readonly string[]): void {
    this.#partitionCounts.forget(topics);
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const configs = specs.map((spec) => toTopicConfig(spec, this.#replicationFactor));
    if (configs.length === 0) return;
    const existing = new Set(await this.#allTopics());
    const missing = configs.filter((config) => !existing.has(config.topic));
    if (missing.length > 0) {
      try {
        // Resolves false when the topics exist already (a concurrent create): nothing to do.
        await this.#admin.createTopics({ topics: missing, waitForLeaders: false });
      } catch (error) {
        if (!onlyAlreadyExists(error)) throw error;
      }
      const names = missing.map((config) => config.topic);
      await waitForLeaders(this.#admin, names, this.#leaderWaitMs);
      this.#logger.info('created topics', { topics: names });
    }
    this.#partitionCounts.forget(specs.map((spec) => spec.name));
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

  /** The group as its coordinator sees it; undefined when the group is unknown. */
  async describeGroup(groupId: string): Promise<GroupDescription | undefined> {
    const { groups } = await this.#admin.describeGroups([groupId]);
    return groups.find((candidate) => candidate.groupId === groupId);
  }

  async #fetchPartitionCount(topic: string): Promise<number | undefined> {
    const { topics } = await this.#admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics.find((candidate) => candidate.name === topic);
    return found === undefined ? undefined : found.partitions.length;
  }
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
