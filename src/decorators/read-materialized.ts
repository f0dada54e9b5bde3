import type { MaterializeMetadata } from '../model/service/materialize-metadata';
import { readMetadataList } from './append-metadata';
import { materializeIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

/** @Materialize entries of a class, including those it inherits. */
export function readMaterialized(target: { prototype: object }): readonly MaterializeMetadata[] {
  return readMetadataList<MaterializeMetadata>(
    MetadataKeys.MATERIALIZED,
    target.prototype,
    materializeIdentity,
  );
}
