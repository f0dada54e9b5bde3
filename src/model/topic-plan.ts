import type { TopicSpec } from '../transport/transport';
import { changelogSpecs } from './changelog-topic';
import type { ServiceDescription } from './service/service-description';
import { deadLetterTopicName } from './topics/header-names';
import type { TopicDefinition } from './topics/topic-definition';

/**
 * The topics an app needs: every topic its services own or read, and a dead-letter topic (same
 * partition count, never compacted) for every topic a handler reads, and the compacted changelog
 * of every @State store.
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
      });
    }
  }
  return [...specs.values()];
}
