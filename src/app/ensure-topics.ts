import { type MissingTopic, MissingTopicError } from '../errors/missing-topic-error';
import { TopicMismatchError } from '../errors/topic-mismatch-error';
import { deadLetterTopicName } from '../model/topics/header-names';
import type { TopicSpec, Transport } from '../transport/transport';

/**
 * Creates missing topics and checks existing ones against their definitions: a different
 * partition count would send keys elsewhere, and a lost compaction policy would lose table data.
 * A missing topic in `foreign` (topic -> owner: read here, owned by a service elsewhere) is not
 * created, nor its dead-letter topic: the app's own topics are created first (so services that
 * read each other's topics converge as each starts), then MissingTopicError names them all.
 */
export async function ensureTopics(
  transport: Transport,
  specs: readonly TopicSpec[],
  foreign: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  const missing: TopicSpec[] = [];
  const notOurs: MissingTopic[] = [];
  // All at once: each description is a round trip to the broker, and an app has many topics.
  // Settled, so a failure is reported for the first topic in order, as when asked one by one.
  const described = await Promise.allSettled(
    specs.map((spec) => transport.describeTopic(spec.name)),
  );
  for (const [index, spec] of specs.entries()) {
    const outcome = described[index];
    if (outcome?.status === 'rejected') throw outcome.reason;
    const existing = outcome?.value;
    if (existing === undefined) {
      const owner = foreign.get(spec.name);
      if (owner === undefined) missing.push(spec);
      else notOurs.push({ topic: spec.name, owner });
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
  const skipped = new Set(notOurs.map((m) => deadLetterTopicName(m.topic)));
  const ours = missing.filter((spec) => !skipped.has(spec.name));
  if (ours.length > 0) await transport.createTopics(ours);
  if (notOurs.length > 0) throw new MissingTopicError(notOurs);
}
