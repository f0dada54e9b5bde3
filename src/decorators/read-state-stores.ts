import type { StateStoreMetadata } from '../model/service/state-store-metadata';
import { readMetadataList } from './append-metadata';
import { stateStoreIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

/** @State entries of a class, including those it inherits. */
export function readStateStores(target: { prototype: object }): readonly StateStoreMetadata[] {
  return readMetadataList<StateStoreMetadata>(
    MetadataKeys.STATE_STORES,
    target.prototype,
    stateStoreIdentity,
  );
}
