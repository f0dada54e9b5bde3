import { TopicMismatchError } from '../errors/topic-mismatch-error';
import type { TopicSpec, Transport } from '../transport/transport';

/**
 * Creates missing topics and checks existing ones against their definitions: a different
 * partition count would send keys elsewhere, and a lost compaction policy would lose table data.
 */
export async function ensureTopics(
  transport: Transport,
  specs: readonly TopicSpec[],
): Promise<void> {
  const missing: TopicSpec[] = [];
  for (const spec of specs) {
    const existing = await transport.describeTopic(spec.name);
    if (existing === undefined) {
      missing.push(spec);
      continue;
    }
    if (existing.partitions !== spec.partitions) {
      throw new TopicMismatchError(
        spec.name,
        `it has ${existing.partitions} partition(s), the definition says ${spec.partitions}`,
      );
    }
    if (existing.compacted !== spec.compacted) {
      throw new TopicMismatchError(
        spec.name,
        spec.compacted
          ? 'the definition is compacted but the topic is not'
          : 'the topic is compacted but the definition is not',
      );
    }
  }
  if (missing.length > 0) await transport.createTopics(missing);
}
