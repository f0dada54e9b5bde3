import type { TopicPartition } from './transport';

/** A map key for one partition of one topic. */
export function partitionKey({ topic, partition }: TopicPartition): string {
  return `${topic}\u0000${partition}`;
}
