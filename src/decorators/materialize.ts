import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type {
  MaterializeMetadata,
  MaterializeOptions,
} from '../model/service/materialize-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { isTopicDefinition } from '../model/topics/topic-definition';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';

/**
 * Injects a read-only table of the latest value per key of `topic` (tombstones delete) into the
 * decorated property (type it `ReadOnlyTable<K, V>`). The view is rebuilt from the log.
 */
export function Materialize(
  topic: TopicDefinition,
  options: MaterializeOptions = {},
): PropertyDecorator {
  return (target, propertyKey) => {
    requireExperimentalDecorators('Materialize', target, propertyKey);
    const owner = className(target);
    const property = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('Materialize', owner, property, problem);
    };
    if (typeof target === 'function') fail('is on a static property; tables are per instance.');
    if (!isTopicDefinition(topic)) {
      fail(
        'the first argument is not a topic made by defineTopic() (undefined usually means a circular import).',
      );
    }
    const mode = options.mode ?? 'global';
    if (mode !== 'global' && mode !== 'partitioned')
      fail("mode must be 'global' or 'partitioned'.");
    const store = options.store ?? 'memory';
    if (store !== 'memory' && store !== 'persistent')
      fail("store must be 'memory' or 'persistent'.");
    if (
      readOwnMetadataList<MaterializeMetadata>(MetadataKeys.MATERIALIZED, target).some(
        (m) => m.property === property,
      )
    ) {
      fail('is applied twice to the same property.');
    }
    appendMetadata<MaterializeMetadata>(MetadataKeys.MATERIALIZED, target, {
      property,
      topic,
      mode,
      store,
    });
  };
}
