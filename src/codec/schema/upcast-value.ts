import { UpcastError } from '../../errors/upcast-error';
import type { TopicDefinition } from '../../model/topics/topic-definition';

/**
 * Brings a value written at `fromVersion` to the topic's version through its upcasters, one
 * version at a time. Throws UpcastError when the chain has no step for a version, or a step throws.
 */
export function upcastValue(topic: TopicDefinition, value: unknown, fromVersion: number): unknown {
  let current = value;
  for (let version = fromVersion; version < topic.version; version++) {
    const step = topic.upcast[version];
    if (step === undefined) {
      throw new UpcastError(topic.name, fromVersion, missingStep(topic));
    }
    try {
      current = step(current);
    } catch (error) {
      throw new UpcastError(
        topic.name,
        fromVersion,
        `upcast[${version}] threw: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }
  return current;
}

function missingStep(topic: TopicDefinition): string {
  const steps = Object.keys(topic.upcast).map(Number);
  return steps.length === 0
    ? `the topic is at version ${topic.version} and defines no upcasters`
    : `the topic is at version ${topic.version} and its upcasters start at version ${Math.min(...steps)}`;
}
