import { createHash } from 'node:crypto';

import type { ReplicaMetadata } from '../model/service/replica-metadata';

/**
 * What a replica's table depends on, as a short hash: the topic (name and schema version), the key
 * column, the columns with their types, and the mapping version the decorator declares. A live
 * table built under another fingerprint has another shape or other contents, so it is rebuilt
 * into a new version instead of written in its old shape. The `from` functions are not part of it:
 * their source text differs between builds (tsx, tsc) of the same code; `version` marks a change.
 */
export function replicaFingerprint(replica: ReplicaMetadata): string {
  const shape = {
    topic: replica.topic.name,
    schemaVersion: replica.topic.version,
    key: replica.keyColumn,
    columns: replica.columns.map((column) => [column.name, column.type]),
    version: replica.version,
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}
