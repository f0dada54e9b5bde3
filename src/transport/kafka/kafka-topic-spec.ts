import type { IResourceConfigEntry, ITopicConfig } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { TopicSpec } from '../transport';

/**
 * A TopicSpec as kafkajs creates it, checked first so a bad spec fails with what to change.
 * Without a replication factor the broker applies its default.replication.factor.
 */
export function toTopicConfig(
  spec: TopicSpec,
  replicationFactor: number | undefined,
): ITopicConfig {
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
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
    configEntries: entries,
  };
}

function invalidSpec(topic: string, problem: string): TransportError {
  return new TransportError(`Kafka: cannot create topic "${topic}": ${problem}.`, {
    retriable: false,
  });
}
