import { readMetadataList } from './append-metadata';
import { MetadataKeys } from './metadata-keys';
import type { StreamStateMetadata } from './windowed';

/** @Windowed and @WindowedJoin entries of a class, including those it inherits. */
export function readStreamStates(target: { prototype: object }): readonly StreamStateMetadata[] {
  return readMetadataList<StreamStateMetadata>(
    MetadataKeys.STREAM_STATES,
    target.prototype,
    (s) => s.property,
  );
}
