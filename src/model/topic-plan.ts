import { MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes } from '../transport/record-batch-size';
import type { TopicSpec } from '../transport/transport';
import { changelogSpecs } from './changelog-topic';
import type { ServiceDescription } from './service/service-description';
import { deadLetterTopicName } from './topics/header-names';
import type { TopicDefinition } from './topics/topic-definition';

/**
 * Room a dead-letter topic keeps above its source's max.message.bytes for the sw-dlq-* headers
 * (their messages are cut to a few KB): generous, so a record its source took is never refused.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 1_048_576;

/**
 * The topics an app needs: every topic its services own or read, and a dead-letter topic (same
 * partition count, never compacted, max.message.bytes above its source's) for every topic a
 * handler reads, and the compacted changelog of every @State store.
 */
export function planTopics(services: readonly ServiceDescription[]): TopicSpec[] {
  const specs = new Map<string, TopicSpec>();
  const add = (spec: TopicSpec): void => {
    if (!specs.has(spec.name)) specs.set(spec.name, spec);
  };
  const specOf = (topic: TopicDefinition): TopicSpec => ({
    name: topic.name,
    partitions: topic.partitions,
    compacted: topic.compacted,
    config: topic.config,
  });
  for (const service of services) {
    for (const topic of [...service.owns, ...service.consumes]) add(specOf(topic));
    for (const changelog of changelogSpecs(service)) add(changelog);
    for (const handler of service.handlers) {
      add({
        name: deadLetterTopicName(handler.topic.name),
        partitions: handler.topic.partitions,
        compacted: false,
        config: {
          [MAX_MESSAGE_BYTES_CONFIG]: String(
            maxMessageBytes(handler.topic.config) + DEAD_LETTER_HEADROOM_BYTES,
          ),
        },
      });
    }
  }
  return [...specs.values()];
}
