import type { EventHandlerMetadata } from '../model/service/handler-metadata';
import { readMetadataList } from './append-metadata';
import { handlerIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

/** @EventHandler entries of a class, including those it inherits. */
export function readEventHandlers(target: { prototype: object }): readonly EventHandlerMetadata[] {
  return readMetadataList<EventHandlerMetadata>(
    MetadataKeys.EVENT_HANDLERS,
    target.prototype,
    handlerIdentity,
  );
}
