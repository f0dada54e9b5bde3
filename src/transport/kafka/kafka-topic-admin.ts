import { type Admin, ConfigResourceTypes, ConfigSource, Kafka, logLevel } from 'kafkajs';

import type { TopicAdmin, TopicState } from '../topic-admin';
import type { TopicSpec } from '../transport';
import { resolveKafkaConfig } from './kafka-config';
import { kafkaClientConfig, kafkaPrincipal } from './kafka-connection';
import { withTransportError } from './kafka-errors';
import type { KafkaTransportOptions } from './kafka-options';
import { toTopicConfig } from './kafka-topic-spec';
import { waitForLeaders } from './wait-for-leaders';

const LEADER_WAIT_MS = 30_000;

/** TopicAdmin over a kafkajs admin of its own (the CLI's `topics apply`). */
export class KafkaTopicAdmin implements TopicAdmin {
  readonly #admin: Admin;
  readonly #replicationFactor: number | undefined;
  readonly #principal: string | undefined;

  private constructor(
    admin: Admin,
    replicationFactor: number | undefined,
    principal: string | undefined,
  ) {
    this.#admin = admin;
    this.#replicationFactor = replicationFactor;
    this.#principal = principal;
  }

  static async open(options: KafkaTransportOptions): Promise<KafkaTopicAdmin> {
    const config = resolveKafkaConfig(options);
    const principal = kafkaPrincipal(config);
    const kafka = new Kafka({ ...kafkaClientConfig(config), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await withTransportError('connect', () => admin.connect(), principal);
    return new KafkaTopicAdmin(admin, config.replicationFactor, principal);
  }

  close(): Promise<void> {
    return this.#admin.disconnect();
  }

  async describe(
    names: readonly string[],
    configNames: readonly string[],
  ): Promise<Map<string, TopicState>> {
    return withTransportError(
      'describe topics',
      async () => {
        const existing = new Set(await this.#admin.listTopics());
        const present = names.filter((name) => existing.has(name));
        const states = new Map<string, TopicState>();
        if (present.length === 0) return states;
        const metadata = await this.#admin.fetchTopicMetadata({ topics: present });
        const { resources } = await this.#admin.describeConfigs({
          includeSynonyms: false,
          resources: present.map((name) => ({
            type: ConfigResourceTypes.TOPIC,
            name,
            configNames: [...configNames],
          })),
        });
        for (const topic of metadata.topics) {
          const entries = resources.find((r) => r.resourceName === topic.name)?.configEntries ?? [];
          const configs: Record<string, string> = {};
          for (const entry of entries) configs[entry.configName] = entry.configValue;
          states.set(topic.name, {
            name: topic.name,
            partitions: topic.partitions.length,
            configs,
          });
        }
        return states;
      },
      this.#principal,
    );
  }

  async create(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const topics = specs.map((spec) => toTopicConfig(spec, this.#replicationFactor));
    await withTransportError(
      'create topics',
      async () => {
        await this.#admin.createTopics({ topics, waitForLeaders: false });
        await waitForLeaders(
          this.#admin,
          specs.map((spec) => spec.name),
          LEADER_WAIT_MS,
        );
      },
      this.#principal,
    );
  }

  async addPartitions(topic: string, total: number): Promise<void> {
    await withTransportError(
      `add partitions to ${topic}`,
      async () => {
        await this.#admin.createPartitions({ topicPartitions: [{ topic, count: total }] });
        await waitForLeaders(this.#admin, [topic], LEADER_WAIT_MS);
      },
      this.#principal,
    );
  }

  /**
   * kafkajs speaks the legacy AlterConfigs, which replaces the topic's whole set of configs: the
   * ones set on the topic are read first and sent again with the changes, so none is reset.
   */
  async alterConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await withTransportError(
      `alter the configs of ${topic}`,
      async () => {
        const { resources } = await this.#admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
        });
        const kept = new Map<string, string>();
        for (const entry of resources.flatMap((r) => r.configEntries)) {
          if (entry.configSource === ConfigSource.TOPIC_CONFIG && !entry.isSensitive)
            kept.set(entry.configName, entry.configValue);
        }
        for (const [name, value] of Object.entries(configs)) kept.set(name, value);
        await this.#admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: topic,
              configEntries: [...kept].map(([name, value]) => ({ name, value })),
            },
          ],
        });
      },
      this.#principal,
    );
  }
}
