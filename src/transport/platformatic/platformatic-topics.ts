import { setTimeout as delay } from 'node:timers/promises';

import type { Admin } from '@platformatic/kafka';
import { ConfigResourceTypes } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Logger } from '../../logging/logger';
import { toTopicConfig } from '../kafka/kafka-topic-spec';
import { PartitionCounts } from '../partition-bounds';
import type { TopicDescription, TopicSpec } from '../transport';
import { isUnknownTopicAnswer, platformaticErrorType } from './platformatic-errors';

/** Topic administration and partition look-ups over one long-lived @platformatic/kafka Admin. */
export class PlatformaticTopics {
  readonly admin: Admin;
  readonly #replicationFactor: number | undefined;
  readonly #logger: Logger;
  readonly #partitionCounts = new PartitionCounts((topic) => this.#askPartitionCount(topic));
  readonly #leaderWaitMs: number;
  readonly #secured: { readonly principal: string | undefined } | undefined;

  constructor(
    admin: Admin,
    options: {
      replicationFactor: number | undefined;
      logger: Logger;
      leaderWaitMs: number;
      /** Set on a connection with a login or TLS: the principal, for UnknownTopicError. */
      secured?: { readonly principal: string | undefined };
    },
  ) {
    this.admin = admin;
    this.#secured = options.secured;
    this.#replicationFactor = options.replicationFactor;
    this.#logger = options.logger;
    this.#leaderWaitMs = options.leaderWaitMs;
  }

  async #allTopics(): Promise<string[]> {
    return this.admin.listTopics({ includeInternals: true });
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
    const metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (count === undefined) throw new UnknownTopicError(topic, this.#secured);
    return count;
  }

  /** Rejects partitions outside the topic before anything is sent. */
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
    // One request per topic: each may have its own partition count and configs.
    await Promise.all(
      missing.map(async (config) => {
        try {
          await this.admin.createTopics({
            topics: [config.topic],
            partitions: config.numPartitions ?? 1,
            replicas: config.replicationFactor,
            configs: (config.configEntries ?? []).map(({ name, value }) => ({ name, value })),
          });
        } catch (error) {
          // Created concurrently by someone else: the goal is reached.
          if (platformaticErrorType(error) !== 'TOPIC_ALREADY_EXISTS') throw error;
        }
      }),
    );
    if (missing.length > 0) {
      const names = missing.map((config) => config.topic);
      await this.#waitForLeaders(names);
      this.#logger.info('created topics', { topics: names });
    }
    this.#partitionCounts.forget(specs.map((spec) => spec.name));
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const existing = await this.#allTopics();
    if (!existing.includes(name)) return undefined;
    try {
      const partitions = await this.partitionCount(name, true);
      const [config] = await this.admin.describeConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: name,
            configurationKeys: ['cleanup.policy'],
          },
        ],
      });
      const policy = config?.configs.find((entry) => entry.name === 'cleanup.policy')?.value;
      const compacted = (policy ?? 'delete')
        .split(',')
        .map((part) => part.trim())
        .includes('compact');
      return { name, partitions, compacted };
    } catch (error) {
      if (error instanceof UnknownTopicError) return undefined;
      if (platformaticErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
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
      await this.admin.deleteTopics({ topics: present });
    } catch (error) {
      if (platformaticErrorType(error) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    }
    return present;
  }

  /** A new topic's partitions have no leader for a moment; produce and fetch would fail meanwhile. */
  async #waitForLeaders(topics: readonly string[]): Promise<void> {
    const giveUpAt = Date.now() + this.#leaderWaitMs;
    for (;;) {
      try {
        const metadata = await this.admin.metadata({ topics: [...topics], forceUpdate: true });
        const ready = topics.every((topic) => {
          const partitions = metadata.topics.get(topic)?.partitions ?? [];
          return partitions.length > 0 && partitions.every((partition) => partition.leader >= 0);
        });
        if (ready) return;
      } catch (error) {
        // A new broker may not list a topic it just created yet: wait for it like for a leader.
        if (platformaticErrorType(error) === undefined && !isUnknownTopicAnswer(error)) throw error;
      }
      if (Date.now() >= giveUpAt) {
        throw new TransportError(
          `Kafka: the topics ${topics.join(', ')} were created but have no partition leader after ${this.#leaderWaitMs} ms; check the broker's health.`,
          { retriable: true },
        );
      }
      await delay(100);
    }
  }
}
