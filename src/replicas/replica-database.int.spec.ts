import { dropReplica, uniqueTable } from '../../test/support/postgres-env';
import { describeEachReplicaDatabase } from '../../test/support/replica-databases';
import { defineTopic } from '../codec/define-topic';
import { ReplicaFencedError } from '../errors/replica-fenced-error';
import { ReplicaTableMismatchError } from '../errors/replica-table-mismatch-error';
import { REPLICA_COLUMN_TYPES, type ReplicaMetadata } from '../model/service/replica-metadata';
import type { ReplicaDatabase } from './replica-database';
import { ReplicaReader } from './replica-reader';
import { rowOf } from './replica-row';
import { readOffsets, writeBatch } from './replica-table';
import { prepareReplica, versionMetadata } from './replica-versions';

interface Item {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
}

const Items = defineTopic<Item>({
  name: 'replica-database-items',
  entity: 'Item',
  key: (i) => i.id,
  partitions: 2,
  compacted: true,
  schema: { type: 'object' },
});

function replicaOf(table: string): ReplicaMetadata {
  return {
    property: 'items',
    topic: Items,
    inputs: [{ topic: Items }],
    projection: false,
    table,
    version: 1,
    keyColumn: 'id',
    columns: [
      { name: 'name', type: 'text', from: (v) => (v as Item).name },
      { name: 'tags', type: 'jsonb', from: (v) => (v as Item).tags },
      { name: 'seen_at', type: 'timestamptz', from: (_, r) => r.timestamp },
      { name: 'seen_offset', type: 'bigint', from: (_, r) => r.offset },
    ],
  };
}

/** What readOffsets gives for the items topic: the next offset per partition. */
const stored = (...offsets: number[]): Map<number, Map<string, number>> =>
  new Map(offsets.map((offset, partition) => [partition, new Map([[Items.name, offset]])]));

const row = (item: Item, offset: number): unknown[] =>
  rowOf(replicaOf('unused'), item.id, item, { partition: 0, offset, timestamp: 1_700_000_000_000 });

// What the replica's tables, batches and readers need of a database, on the server and on PGlite.
describeEachReplicaDatabase('a replica database', (open) => {
  jest.setTimeout(60_000);
  let database: ReplicaDatabase;
  const tables: string[] = [];

  // PGlite compiles PostgreSQL's WebAssembly on first use: seconds, tens of them on a busy machine.
  beforeAll(async () => {
    database = open();
    await database.query('SELECT 1');
  }, 120_000);
  afterAll(async () => {
    for (const table of tables) await dropReplica(database, table);
    await database.close();
  });

  /** A replica as its first start leaves it: the table of its live version 1 (behind a view). */
  async function prepared(): Promise<ReplicaMetadata> {
    const replica = replicaOf(uniqueTable('items'));
    tables.push(replica.table);
    await prepareReplica(database, replica, 'fingerprint');
    return versionMetadata(replica, 1);
  }

  it('commits a transaction that resolves and rolls back one that rejects', async () => {
    const { table } = await prepared();
    await database.transaction((sql) =>
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, ['a', 'kept']),
    );
    const failure = new Error('the work failed');
    await expect(
      database.transaction(async (sql) => {
        await sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, ['b', 'lost']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const { rows } = await database.query(`SELECT id, name FROM ${table} ORDER BY id`);
    expect(rows).toEqual([{ id: 'a', name: 'kept' }]);
  });

  it('refuses every write in a read-only transaction, reads still answer', async () => {
    const { table } = await prepared();
    await database.query(`INSERT INTO ${table} (id, name) VALUES ('a', 'x')`);
    const reader = new ReplicaReader(database, table, 'id', [Items.name]);
    await expect(reader.query(`DELETE FROM ${table}`)).rejects.toThrow(/read-only transaction/);
    await expect(reader.query(`CREATE TABLE ${table}_x (id text)`)).rejects.toThrow(/read-only/);
    expect(await reader.count()).toBe(1);
    expect(await reader.get('a')).toMatchObject({ id: 'a', name: 'x' });
  });

  it('writes a batch of upserts, deletions and offsets in one transaction', async () => {
    const replica = await prepared();
    expect(await readOffsets(database, replica, [0, 1])).toEqual(stored(0, 0));
    const a = { id: 'a', name: 'first', tags: ['x', 'y'] };
    const b = { id: 'b', name: 'second', tags: [] };
    await writeBatch(database, replica, [
      {
        partition: 0,
        offsets: [{ topic: Items.name, from: 0, to: 3 }],
        rows: new Map([['a', row(a, 2)]]),
      },
      {
        partition: 1,
        offsets: [{ topic: Items.name, from: 0, to: 5 }],
        rows: new Map([['b', row(b, 4)]]),
      },
    ]);
    await writeBatch(database, replica, [
      {
        partition: 1,
        offsets: [{ topic: Items.name, from: 5, to: 7 }],
        rows: new Map<string, readonly unknown[] | null>([
          ['b', null],
          ['c', row({ id: 'c', name: 'third', tags: ['z'] }, 6)],
        ]),
      },
    ]);
    const rows = await new ReplicaReader(database, replica.table, 'id', [Items.name]).all();
    expect(rows.map((r) => ({ ...r, seen_offset: Number(r.seen_offset) }))).toEqual([
      {
        id: 'a',
        name: 'first',
        tags: ['x', 'y'],
        seen_at: new Date(1_700_000_000_000),
        seen_offset: 2,
      },
      { id: 'c', name: 'third', tags: ['z'], seen_at: new Date(1_700_000_000_000), seen_offset: 6 },
    ]);
    expect(await readOffsets(database, replica, [0, 1])).toEqual(stored(3, 7));
  });

  it('writes every column type and awkward text as it was given, nulls included', async () => {
    const replica: ReplicaMetadata = {
      ...replicaOf(uniqueTable('typed')),
      columns: REPLICA_COLUMN_TYPES.map((type) => ({
        name: `c_${type.replace(' ', '_')}`,
        type,
        from: (v: unknown) => (v as Record<string, unknown>)[type],
      })),
    };
    tables.push(replica.table);
    await prepareReplica(database, replica, 'fingerprint');
    const target = versionMetadata(replica, 1);
    await readOffsets(database, target, [0]);
    const awkward = 'a "quoted", {braced} \\ back\\slash, NULL, comma\'s';
    const full = {
      text: awkward,
      integer: -7,
      bigint: 9_007_199_254_740_991,
      'double precision': 1.5,
      numeric: 12.25,
      boolean: false,
      jsonb: { nested: [awkward, null, 1] },
      timestamptz: 1_700_000_000_123,
    };
    const info = { partition: 0, offset: 0, timestamp: 0 };
    await writeBatch(database, target, [
      {
        partition: 0,
        offsets: [{ topic: Items.name, from: 0, to: 3 }],
        rows: new Map([
          ['k "1"', rowOf(replica, 'k "1"', full, info)],
          ['NULL', rowOf(replica, 'NULL', {}, info)],
          ['{}', rowOf(replica, '{}', { text: '' }, info)],
        ]),
      },
    ]);
    const { rows: unsorted } = await database.query(`SELECT * FROM ${replica.table}`);
    // Sorted here: the server's collation is not the test's business.
    const rows = [...unsorted].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    const nulls = Object.fromEntries(replica.columns.map((c) => [c.name, null]));
    expect(
      rows.map((r) => ({
        ...r,
        c_bigint: r.c_bigint === null ? null : Number(r.c_bigint),
        c_numeric: r.c_numeric === null ? null : Number(r.c_numeric),
      })),
    ).toEqual([
      { ...nulls, id: 'NULL' },
      {
        id: 'k "1"',
        c_text: awkward,
        c_integer: -7,
        c_bigint: 9_007_199_254_740_991,
        c_double_precision: 1.5,
        c_numeric: 12.25,
        c_boolean: false,
        c_jsonb: { nested: [awkward, null, 1] },
        c_timestamptz: new Date(1_700_000_000_123),
      },
      { ...nulls, id: '{}', c_text: '' },
    ]);
  });

  it('writes nothing of a batch whose partition another writer moved, and names the partition', async () => {
    const replica = await prepared();
    await readOffsets(database, replica, [0, 1]); // what an instance does when assigned them
    await writeBatch(database, replica, [
      {
        partition: 0,
        offsets: [{ topic: Items.name, from: 0, to: 4 }],
        rows: new Map([['a', row({ id: 'a', name: 'new', tags: [] }, 3)]]),
      },
    ]);
    const stale = writeBatch(database, replica, [
      {
        partition: 1,
        offsets: [{ topic: Items.name, from: 0, to: 1 }],
        rows: new Map([['b', row({ id: 'b', name: 'b', tags: [] }, 0)]]),
      },
      {
        partition: 0,
        offsets: [{ topic: Items.name, from: 0, to: 2 }],
        rows: new Map([['a', row({ id: 'a', name: 'old', tags: [] }, 1)]]),
      },
    ]);
    await expect(stale).rejects.toThrow(ReplicaFencedError);
    await expect(stale).rejects.toMatchObject({ partitions: [0] });
    const { rows } = await database.query(`SELECT id, name FROM ${replica.table} ORDER BY id`);
    expect(rows).toEqual([{ id: 'a', name: 'new' }]);
    expect(await readOffsets(database, replica, [0, 1])).toEqual(stored(4, 0));
  });

  it('keeps a replica prepared before and refuses a table of its name with other columns', async () => {
    const replica = replicaOf(uniqueTable('items'));
    tables.push(replica.table);
    const first = await prepareReplica(database, replica, 'fingerprint');
    expect(await prepareReplica(database, replica, 'fingerprint')).toEqual(first);
    const other = uniqueTable('items');
    tables.push(other);
    await database.query(`CREATE TABLE ${other} (id text PRIMARY KEY, label text)`);
    await expect(
      prepareReplica(database, { ...replica, table: other }, 'fingerprint'),
    ).rejects.toThrow(ReplicaTableMismatchError);
  });

  it('never runs a statement from outside a transaction inside it', async () => {
    const { table } = await prepared();
    let inserted: () => void = () => undefined;
    const insertedA = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let abort: (error: Error) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      abort = reject;
    });
    const writing = database.transaction(async (sql) => {
      await sql.query(`INSERT INTO ${table} (id, name) VALUES ('a', 'rolled back')`);
      inserted();
      await aborted;
    });
    await insertedA;
    // PGlite has one connection: this statement must wait for the transaction, not join it.
    const outside = database.query(`INSERT INTO ${table} (id, name) VALUES ('b', 'kept')`);
    abort(new Error('the batch failed'));
    await expect(writing).rejects.toThrow('the batch failed');
    await outside;
    const { rows } = await database.query(`SELECT id, name FROM ${table} ORDER BY id`);
    expect(rows).toEqual([{ id: 'b', name: 'kept' }]);
  });
});
