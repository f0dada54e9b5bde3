import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { EventHandlerMetadata, EventHandlerOptions } from '../model/service/handler-metadata';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { isTopicDefinition } from '../model/topics/topic-definition';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { handlerIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';
import { validateRetryOptions } from './validate-retry-options';

/**
 * Calls the decorated method for every record of `topic` (the value, then an EventContext). The
 * service's consumer group shares the topic's partitions across its instances; order holds per key.
 */
export function EventHandler<T, K extends TopicKey>(
  topic: TopicDefinition<T, K>,
  options: EventHandlerOptions<T> = {},
): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    requireExperimentalDecorators('EventHandler', target, propertyKey);
    const owner = className(target);
    const method = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('EventHandler', owner, method, problem);
    };
    if (typeof target === 'function')
      fail('is on a static method; handlers must be instance methods.');
    if (typeof descriptor.value !== 'function')
      fail('must decorate a method, not an accessor or field.');
    if (!isTopicDefinition(topic)) {
      fail(
        'the first argument is not a topic made by defineTopic() (undefined usually means a circular import: move topic definitions into their own module).',
      );
    }
    if (options.when !== undefined && typeof options.when !== 'function')
      fail('when must be a function.');
    validateRetryOptions('EventHandler', owner, method, options.retry);
    const existing = readOwnMetadataList<EventHandlerMetadata>(MetadataKeys.EVENT_HANDLERS, target);
    if (existing.some((h) => handlerIdentity(h) === handlerIdentity({ method, topic }))) {
      fail(`already handles "${topic.name}".`);
    }
    const metadata: EventHandlerMetadata = {
      method,
      topic,
      when: options.when as ((value: unknown) => boolean) | undefined,
      retry: options.retry,
    };
    appendMetadata(MetadataKeys.EVENT_HANDLERS, target, metadata);
  };
}
