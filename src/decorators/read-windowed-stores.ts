import type { WindowedStoreMetadata } from '../model/service/windowed-store-metadata';
import { readMetadataList } from './append-metadata';
import { MetadataKeys } from './metadata-keys';

/** @Windowed and @WindowedJoin entries of a class, including those it inherits. */
export function readWindowedStores(target: {
  prototype: object;
}): readonly WindowedStoreMetadata[] {
  return readMetadataList<WindowedStoreMetadata>(
    MetadataKeys.WINDOWED_STORES,
    target.prototype,
    (s) => s.property,
  );
}
