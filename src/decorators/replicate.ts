import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type {
  ProjectedRow,
  ProjectionOptions,
  ProjectionSource,
  ReplicaColumn,
  ReplicaColumnMetadata,
  ReplicaColumnType,
  ReplicaInput,
  ReplicaMetadata,
  ReplicaRecordInfo,
  ReplicateOptions,
} from '../model/service/replica-metadata';
import { REPLICA_COLUMN_TYPES } from '../model/service/replica-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { isTopicDefinition } from '../model/topics/topic-definition';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';
import { readProjectionInputs } from './project';

/** Lower case, so SQL written by hand needs no quotes; 63 bytes is PostgreSQL's limit. */
const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** A table's versions are `<table>_v<n>`: room for `_v` and five digits within 63 bytes. */
const MAX_TABLE_NAME = 56;

// The projection comes first: a call with a topic fails it before its `from` functions are typed,
// while the other order would type a projection's folds against the topic overload first.
/**
 * Keeps the latest value per key of `topic` in a PostgreSQL table (tombstones delete) and injects
 * a read-only `ReplicaReader` into the decorated property. The replica is the table's single
 * writer: it applies the records in batches, one transaction each, with the offsets it reached.
 *
 * Given a list of `project(topic, fold)` inputs instead of a topic, the table holds a projection
 * the service computes from several topics: each record is folded into the row of its key, and
 * the offsets of every input partition are stored with the rows in one transaction.
 */
export function Replicate<Row extends ProjectedRow = ProjectedRow>(
  sources: readonly ProjectionSource<Row>[],
  options: ProjectionOptions,
): PropertyDecorator;
export function Replicate<V>(
  topic: TopicDefinition<V>,
  options: ReplicateOptions<V>,
): PropertyDecorator;
export function Replicate<V>(
  from: TopicDefinition<V> | readonly ProjectionSource[],
  options: ReplicateOptions<V> | ProjectionOptions,
): PropertyDecorator {
  return (target, propertyKey) => {
    requireExperimentalDecorators('Replicate', target, propertyKey);
    const owner = className(target);
    const property = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('Replicate', owner, property, problem);
    };
    if (typeof target === 'function') fail('is on a static property; replicas are per instance.');
    const projection = Array.isArray(from);
    let inputs: ReplicaInput[];
    if (Array.isArray(from)) {
      inputs = readProjectionInputs(from as readonly unknown[], fail);
    } else if (isTopicDefinition(from)) {
      inputs = [{ topic: from }];
    } else {
      return fail(
        'the first argument is not a topic made by defineTopic() (undefined usually means a circular import), nor a list of project(topic, fold) inputs.',
      );
    }
    if (typeof options !== 'object' || options === null) {
      fail("the second argument must be the options, e.g. { table: 'orders' }.");
    }
    const table = sqlName(options.table, 'table', fail);
    if (table.length > MAX_TABLE_NAME) {
      fail(
        `table "${table}" is longer than ${MAX_TABLE_NAME} characters; its versions are named ${table}_v<n> within PostgreSQL's 63.`,
      );
    }
    const keyColumn = sqlName(options.keyColumn ?? 'key', 'keyColumn', fail);
    if (projection && (typeof options.columns !== 'object' || options.columns === null)) {
      fail("a projection needs its columns with their types, e.g. columns: { state: 'text' }.");
    }
    const columns = readColumns(options as ReplicateOptions<V>, keyColumn, fail, projection);
    const version = options.version ?? 1;
    if (!Number.isSafeInteger(version) || version < 1) {
      fail(`version ${JSON.stringify(version)} must be a whole number >= 1, e.g. 2.`);
    }
    const declared = readOwnMetadataList<ReplicaMetadata>(MetadataKeys.REPLICAS, target);
    if (declared.some((r) => r.property === property))
      fail('is applied twice to the same property.');
    const twin = declared.find((r) => r.table === table);
    if (twin !== undefined) {
      fail(`table "${table}" is already replicated by ${twin.property}: a table has one writer.`);
    }
    appendMetadata<ReplicaMetadata>(MetadataKeys.REPLICAS, target, {
      property,
      topic: inputs[0].topic,
      inputs,
      projection,
      table,
      keyColumn,
      columns,
      version,
    });
  };
}

function sqlName(name: unknown, option: string, fail: (problem: string) => never): string {
  if (typeof name !== 'string' || !SQL_NAME.test(name)) {
    fail(
      `${option} ${JSON.stringify(name)} is not a usable SQL name: use lower-case letters, digits and _ (not first), at most 63, e.g. "orders".`,
    );
  }
  return name;
}

function readColumns<V>(
  options: ReplicateOptions<V>,
  keyColumn: string,
  fail: (problem: string) => never,
  projection: boolean,
): ReplicaColumnMetadata[] {
  const given = options.columns ?? { value: { type: 'jsonb', from: (value: V) => value } };
  if (typeof given !== 'object' || given === null || Object.keys(given).length === 0) {
    fail("columns must name at least one column, e.g. { state: 'text' }, or be left out.");
  }
  return Object.entries(given).map(([name, spec]) => {
    sqlName(name, 'column', fail);
    if (name === keyColumn) {
      fail(
        `column "${name}" is the key column; it holds the record's key, leave it out of columns.`,
      );
    }
    if (projection && typeof spec !== 'string') {
      fail(
        `column "${name}": a projection's columns are types only (its project functions compute the row), e.g. '${(spec as { type?: unknown } | null)?.type === undefined ? 'text' : String((spec as { type: unknown }).type)}'.`,
      );
    }
    const column: ReplicaColumn<V> = typeof spec === 'string' ? { type: spec } : spec;
    if (!REPLICA_COLUMN_TYPES.includes(column.type)) {
      fail(
        `column "${name}" has type ${JSON.stringify(column.type)}; use one of ${REPLICA_COLUMN_TYPES.join(', ')}.`,
      );
    }
    if (column.from !== undefined && typeof column.from !== 'function') {
      fail(`column "${name}": from must be a function of the value, e.g. (order) => order.state.`);
    }
    const from =
      (column.from as ((value: unknown, record: ReplicaRecordInfo) => unknown) | undefined) ??
      ((value: unknown) => (value as Record<string, unknown> | null)?.[name]);
    return { name, type: column.type satisfies ReplicaColumnType, from };
  });
}
