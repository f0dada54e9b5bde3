import type { ReplicaMetadata } from '../model/service/replica-metadata';

/** Where every replica keeps the next offset of each partition it applied, one row each. */
export const OFFSETS_TABLE = 'streamwise_replica_offsets';

/** Names were checked by @Replicate (lower-case SQL names); quoting keeps keywords usable. */
function quote(name: string): string {
  return `"${name}"`;
}

export function createOffsetsTable(): string {
  return `CREATE TABLE IF NOT EXISTS ${OFFSETS_TABLE} (
  replica text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (replica, topic, partition))`;
}

export function createTable(replica: ReplicaMetadata): string {
  const columns = [
    `${quote(replica.keyColumn)} text PRIMARY KEY`,
    ...replica.columns.map((c) => `${quote(c.name)} ${c.type}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${quote(replica.table)} (${columns.join(', ')})`;
}

/** Column names in table order, the key first: what the table must have. */
export function declaredColumns(replica: ReplicaMetadata): string[] {
  return [replica.keyColumn, ...replica.columns.map((c) => c.name)];
}

export interface Statement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/**
 * One upsert of all `rows` (key first, then the columns in declared order), or none for no rows.
 * Each column goes as one typed array unnested on the server: the statement's text and plan do
 * not grow with the rows, where a multi-row VALUES list costs the server a parse and plan of
 * thousands of parameters per statement (measured in bench/RESULTS.md).
 */
export function upserts(
  replica: ReplicaMetadata,
  rows: readonly (readonly unknown[])[],
): Statement | undefined {
  if (rows.length === 0) return undefined;
  const names = declaredColumns(replica);
  const types = ['text', ...replica.columns.map((c) => c.type)];
  const arrays = types.map((type, column) => `$${column + 1}::${type}[]`);
  const update = replica.columns.map((c) => `${quote(c.name)} = EXCLUDED.${quote(c.name)}`);
  return {
    text: `INSERT INTO ${quote(replica.table)} (${names.map(quote).join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ON CONFLICT (${quote(replica.keyColumn)}) DO UPDATE SET ${update.join(', ')}`,
    params: types.map((_, column) => rows.map((row) => row[column])),
  };
}

export function deletes(replica: ReplicaMetadata, keys: readonly string[]): Statement {
  return {
    text: `DELETE FROM ${quote(replica.table)} WHERE ${quote(replica.keyColumn)} = ANY($1::text[])`,
    params: [keys],
  };
}

/** The names of the topics a replica reads: one for a mapping, every input of a projection. */
function topicNames(replica: ReplicaMetadata): string[] {
  return replica.inputs.map((input) => input.topic.name);
}

/** Locks the replica's offset rows of `partitions` (of every input) until the transaction ends, and reads them. */
export function lockOffsets(replica: ReplicaMetadata, partitions: readonly number[]): Statement {
  return {
    text: `SELECT topic, partition, next_offset FROM ${OFFSETS_TABLE} WHERE replica = $1 AND topic = ANY($2::text[]) AND partition = ANY($3::int[]) FOR UPDATE`,
    params: [replica.table, topicNames(replica), partitions],
  };
}

/** A row at offset 0 for every input's partition that has none, so there is always one to lock. */
export function seedOffsets(replica: ReplicaMetadata, partitions: readonly number[]): Statement {
  return {
    text: `INSERT INTO ${OFFSETS_TABLE} (replica, topic, partition, next_offset) SELECT $1, t, p, 0 FROM unnest($2::text[]) AS t, unnest($3::int[]) AS p ON CONFLICT DO NOTHING`,
    params: [replica.table, topicNames(replica), partitions],
  };
}

export function storeOffsets(
  replica: ReplicaMetadata,
  offsets: readonly { readonly topic: string; readonly partition: number; readonly next: number }[],
): Statement {
  return {
    text: `UPDATE ${OFFSETS_TABLE} AS o SET next_offset = v.next FROM unnest($2::text[], $3::int[], $4::bigint[]) AS v(topic, partition, next) WHERE o.replica = $1 AND o.topic = v.topic AND o.partition = v.partition`,
    params: [
      replica.table,
      offsets.map((o) => o.topic),
      offsets.map((o) => o.partition),
      offsets.map((o) => o.next),
    ],
  };
}
