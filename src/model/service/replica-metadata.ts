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

/** A row of a projection as its function sees and returns it: column name to value. */
export type ProjectedRow = Readonly<Record<string, unknown>>;

/**
 * Folds one record of an input topic into the row of its key: `current` is the row as the
 * records before it left it (undefined when the key has no row), `value` the record's value (null
 * for a tombstone). Returns the key's new row, or null to delete it. Called once per record, in
 * the order of the input's partition; must be a pure function of its arguments, because a batch
 * the database refused is folded again, and a rebuild folds every record again.
 */
export type Projector<V, Row extends ProjectedRow = ProjectedRow> = (
  current: Row | undefined,
  value: V | null,
  record: ReplicaRecordInfo,
) => Row | null;

/** One input of a projection: a topic and how its records change a row. Made by project(). */
export interface ProjectionSource<Row extends ProjectedRow = ProjectedRow> {
  readonly topic: TopicDefinition;
  readonly project: Projector<unknown, Row>;
}

/** The options of a projection: the table and its columns (their values come from `project`). */
export interface ProjectionOptions {
  /** The table (letters, digits, _; lower case): the replica is its single writer. */
  readonly table: string;
  /** The primary-key column, holding the records' key as text (default 'key'). */
  readonly keyColumn?: string;
  /** The table's other columns, by name, with their types. */
  readonly columns: Readonly<Record<string, ReplicaColumnType>>;
  /** The projection's version (default 1): raise it when a project function changed, to rebuild. */
  readonly version?: number;
}

/** One topic a replica reads; `project` is set for every input of a projection, never otherwise. */
export interface ReplicaInput {
  readonly topic: TopicDefinition;
  readonly project?: Projector<unknown>;
}

export interface ReplicaColumnMetadata {
  readonly name: string;
  readonly type: ReplicaColumnType;
  readonly from: (value: unknown, record: ReplicaRecordInfo) => unknown;
}

export interface ReplicaMetadata {
  readonly property: string;
  /** The first (for a mapping: the only) input topic. */
  readonly topic: TopicDefinition;
  /** Every input, in declared order: one for a mapping, one or more for a projection. */
  readonly inputs: readonly ReplicaInput[];
  /** True when rows come from the inputs' project functions, not from `columns[].from`. */
  readonly projection: boolean;
  readonly table: string;
  readonly keyColumn: string;
  readonly columns: readonly ReplicaColumnMetadata[];
  /** The mapping's version (ReplicateOptions.version, default 1), part of its fingerprint. */
  readonly version: number;
}

/** The topics a replica reads, in declared order. */
export function replicaTopics(replica: Pick<ReplicaMetadata, 'inputs'>): TopicDefinition[] {
  return replica.inputs.map((input) => input.topic);
}
