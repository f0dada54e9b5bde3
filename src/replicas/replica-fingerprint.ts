import { createHash } from 'node:crypto';

import type { ReplicaMetadata } from '../model/service/replica-metadata';

/**
 * What a replica's table depends on, as a short hash: the topic (name and schema version; every
 * input's for a projection), the key column, the columns with their types, and the mapping version
 * the decorator declares. A live
 * table built under another fingerprint has another shape or other contents, so it is rebuilt
 * into a new version instead of written in its old shape. The `from` functions are not part of it:
 * their source text differs between builds (tsx, tsc) of the same code; `version` marks a change.
 */
export function replicaFingerprint(replica: ReplicaMetadata): string {
  const common = {
    key: replica.keyColumn,
    columns: replica.columns.map((column) => [column.name, column.type]),
    version: replica.version,
  };
  // A mapping's shape is what it was before projections existed, so its fingerprint stays the same.
  const shape = replica.projection
    ? {
        inputs: replica.inputs.map(({ topic }) => [topic.name, topic.version]),
        projection: true,
        ...common,
      }
    : { topic: replica.topic.name, schemaVersion: replica.topic.version, ...common };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}
