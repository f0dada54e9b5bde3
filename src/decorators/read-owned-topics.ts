import 'reflect-metadata';

import type { TopicDefinition } from '../model/topics/topic-definition';
import { MetadataKeys } from './metadata-keys';

/** Topics the class (or a parent) declared with @OwnsTopic. */
export function readOwnedTopics(target: object): readonly TopicDefinition[] {
  return (
    (Reflect.getMetadata(MetadataKeys.OWNED_TOPICS, target) as
      readonly TopicDefinition[] | undefined) ?? []
  );
}
