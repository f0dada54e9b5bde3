import type { TopicDefinition } from '../topics/topic-definition';

/** The PostgreSQL column types a replica column can have. */
export const REPLICA_COLUMN_TYPES = [
  'text',
  'integer',
  'bigint',
  'double precision',
  'numeric',
  'boolean',
  'jsonb',
  'timestamptz',
] as const;

export type ReplicaColumnType = (typeof REPLICA_COLUMN_TYPES)[number];

/** Where a replicated record came from, for columns that record it (e.g. an updated_at). */
export interface ReplicaRecordInfo {
  readonly partition: number;
  readonly offset: number;
  /** The record's timestamp, epoch ms. */
  readonly timestamp: number;
}

/** One column of a replica table: its type and how to compute it from the topic's value. */
export interface ReplicaColumn<V = unknown> {
  readonly type: ReplicaColumnType;
  /** The column's value; default: the value's property of the column's name. */
  readonly from?: (value: V, record: ReplicaRecordInfo) => unknown;
}

export interface ReplicateOptions<V = unknown> {
  /** The table (letters, digits, _; lower case): the replica is its single writer. */
  readonly table: string;
  /** The primary-key column, holding the record's key as text (default 'key'). */
  readonly keyColumn?: string;
  /**
   * The table's other columns, by name: a type, or a type with `from`. Without columns the table
   * has one `value jsonb` column holding the whole value.
   */
  readonly columns?: Readonly<Record<string, ReplicaColumnType | ReplicaColumn<V>>>;
  /**
   * The mapping's version (default 1). Changed columns or a changed topic schema version rebuild
   * the table by themselves; raise this when only a column's `from` changed, to rebuild too.
   */
  readonly version?: number;
}

export interface ReplicaColumnMetadata {
  readonly name: string;
  readonly type: ReplicaColumnType;
  readonly from: (value: unknown, record: ReplicaRecordInfo) => unknown;
}

export interface ReplicaMetadata {
  readonly property: string;
  readonly topic: TopicDefinition;
  readonly table: string;
  readonly keyColumn: string;
  readonly columns: readonly ReplicaColumnMetadata[];
  /** The mapping's version (ReplicateOptions.version, default 1), part of its fingerprint. */
  readonly version: number;
}
