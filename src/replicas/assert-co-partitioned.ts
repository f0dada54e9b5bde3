import { ConfigurationError } from '../errors/configuration-error';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { Transport } from '../transport/transport';

/**
 * A projection folds a key's records of every input into one row, so partition n of all its
 * inputs must hold the same keys: the topics on the broker need equal partition counts (the
 * definitions were compared by @Replicate already). Checked at start, before anything is read.
 */
export async function assertCoPartitioned(
  replica: ReplicaMetadata,
  transport: Transport,
): Promise<void> {
  if (!replica.projection || replica.inputs.length < 2) return;
  const found: string[] = [];
  const counts = new Set<number>();
  for (const { topic } of replica.inputs) {
    const description = await transport.describeTopic(topic.name);
    if (description === undefined) continue;
    counts.add(description.partitions);
    found.push(`"${topic.name}" ${description.partitions}`);
  }
  if (counts.size > 1) {
    throw new ConfigurationError(
      `Replica "${replica.table}" projects topics that are not co-partitioned on the broker (partitions: ${found.join(', ')}): a key's records must be in the same partition of every input, so every input needs the same partition count. Repartition the topics (streamwise topics repartition) or project from topics with equal counts.`,
    );
  }
}
