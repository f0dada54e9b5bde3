import type { ReplicaMetadata } from '../model/service/replica-metadata';
import { readMetadataList } from './append-metadata';
import { replicaIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

/** @Replicate entries of a class, including those it inherits. */
export function readReplicas(target: { prototype: object }): readonly ReplicaMetadata[] {
  return readMetadataList<ReplicaMetadata>(
    MetadataKeys.REPLICAS,
    target.prototype,
    replicaIdentity,
  );
}
