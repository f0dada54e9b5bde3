import 'reflect-metadata';

import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { isTopicDefinition } from '../model/topics/topic-definition';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';

/**
 * Declares the service the single writer of these topics (principle 5): only it may publish to
 * them, and no other service in the app may claim them.
 */
export function OwnsTopic(...topics: TopicDefinition[]): ClassDecorator {
  return (target, ...rest: unknown[]) => {
    requireExperimentalDecorators('OwnsTopic', target, rest[0]);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('OwnsTopic', target.name, undefined, problem);
    };
    if (topics.length === 0) fail('names no topic; pass the topics this service writes.');
    topics.forEach((topic, index) => {
      if (!isTopicDefinition(topic)) {
        fail(
          `argument ${index + 1} is not a topic made by defineTopic() (undefined usually means a circular import).`,
        );
      }
    });
    const names = topics.map((t) => t.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) fail(`names "${repeated}" twice.`);
    const inherited =
      (Reflect.getMetadata(MetadataKeys.OWNED_TOPICS, target) as TopicDefinition[] | undefined) ??
      [];
    const merged = [...inherited.filter((t) => !names.includes(t.name)), ...topics];
    Reflect.defineMetadata(MetadataKeys.OWNED_TOPICS, merged, target);
  };
}
