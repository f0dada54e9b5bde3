import type { QueryMetadata } from '../model/service/query-metadata';
import { readMetadataList } from './append-metadata';
import { queryIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

/** @Query entries of a class, including those it inherits. */
export function readQueries(target: { prototype: object }): readonly QueryMetadata[] {
  return readMetadataList<QueryMetadata>(MetadataKeys.QUERIES, target.prototype, queryIdentity);
}
