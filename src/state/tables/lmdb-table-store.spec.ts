import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { open } from 'lmdb';

import { TableStoreCommitError } from '../../errors/table-store-commit-error';
import { type CommitTableWrites, commitTableWrites } from './lmdb-table-commit';
import { LmdbTableStore, MAX_PENDING_RECORDS } from './lmdb-table-store';
import type { PersistentTableRequest } from './open-persistent-table-store';
import { openPersistentTableStore } from './open-persistent-table-store';
import { TableStoreClosedError } from './table-store-closed-error';
import { TableStoreLockedError } from './table-store-locked-error';
import { TableStoreMismatchError } from './table-store-mismatch-error';

interface Stock {
  product: string;
  quantity: number;
}

const stock = (product: string, quantity: number): Stock => ({ product, quantity });

/** Writes batches as the store does, counting the records of each. */
function recording(): { commit: CommitTableWrites; batches: number[] } {
  const batches: number[] = [];
  const commit: CommitTableWrites = (db, writes) => {
    batches.push(writes.records);
    return commitTableWrites(db, writes);
  };
  return { commit, batches };
}

/** Holds every write back until release() (a slow disk), counting the records of each batch. */
function held(): { commit: CommitTableWrites; batches: number[]; release: () => void } {
  const batches: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const commit: CommitTableWrites = (db, writes) => {
    batches.push(writes.records);
    return gate.then(() => commitTableWrites(db, writes));
  };
  return { commit, batches, release };
}

/** Fails the first `times` writes without writing anything (as a failed transaction does). */
function failing(times: number): { commit: CommitTableWrites; batches: number[] } {
  const { commit: write, batches } = recording();
  let failures = 0;
  const commit: CommitTableWrites = (db, writes) => {
    if (failures++ >= times) return write(db, writes);
    batches.push(-writes.records);
    return Promise.reject(new Error('MDB_PROBLEM: no space left on device'));
  };
  return { commit, batches };
}

describe('LmdbTableStore', () => {
  let root: string;
  const open$ = (name = 'table'): LmdbTableStore<string | number, Stock> =>
    LmdbTableStore.open(join(root, name));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'streamwise-lmdb-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps rows and per-partition positions across a reopen', async () => {
    const store = open$();
    store.put('jumper', { product: 'jumper', quantity: 1 }, 0, 1);
    store.put('socks', { product: 'socks', quantity: 2 }, 1, 1);
    store.put('jumper', { product: 'jumper', quantity: 5 }, 0, 4);
    store.remove('socks', 1, 3);
    store.remove('never-there', 2, 8);
    expect(store.size).toBe(1);
    await store.close();

    const reopened = open$();
    expect([...reopened.entries()]).toEqual([['jumper', { product: 'jumper', quantity: 5 }]]);
    expect(reopened.get('jumper')).toEqual({ product: 'jumper', quantity: 5 });
    expect(reopened.has('socks')).toBe(false);
    expect(reopened.size).toBe(1);
    expect(new Map(reopened.positions())).toEqual(
      new Map([
        [0, 4],
        [1, 3],
        [2, 8],
      ]),
    );
    await reopened.close();
  });

  it('keeps string and number keys apart and gives each back with its type', async () => {
    const store = open$();
    const long = 'k'.repeat(5_000);
    store.put(1, { product: 'number one', quantity: 1 }, 0, 1);
    store.put('1', { product: 'string one', quantity: 1 }, 0, 2);
    store.put(-2.5, { product: 'negative', quantity: 1 }, 0, 3);
    store.put(long, { product: 'long', quantity: 1 }, 0, 4);
    store.put('', { product: 'empty', quantity: 1 }, 0, 5);
    await store.close();

    const reopened = open$();
    expect(reopened.get(1)?.product).toBe('number one');
    expect(reopened.get('1')?.product).toBe('string one');
    expect(reopened.get(-2.5)?.product).toBe('negative');
    expect(reopened.get(long)?.product).toBe('long');
    expect(reopened.get('')?.product).toBe('empty');
    expect(reopened.get(2)).toBeUndefined();
    const keys = [...reopened.entries()].map(([key]) => key);
    expect(keys).toHaveLength(5);
    expect(keys).toEqual(expect.arrayContaining([1, '1', -2.5, long, '']));
    reopened.remove(long, 0, 6);
    expect(reopened.has(long)).toBe(false);
    expect(reopened.size).toBe(4);
    await reopened.close();
  });

  it('writes a value given with its JSON text around those bytes, as they are, and reads it back', async () => {
    const store = open$();
    const long = 'ü'.repeat(600);
    const text = '{ "product" : "jumper", "quantity" : 1e0 }';
    const value: Stock = { product: 'jumper', quantity: 1 };
    store.put('short', value, 3, 1, Buffer.from(text));
    store.put(long, value, 4, 1, Buffer.from(text));
    await store.close();

    const env = open<Buffer, string>({ path: join(root, 'table'), maxDbs: 4 });
    const rows = env.openDB<Buffer, string>({ name: 'rows', encoding: 'binary' });
    const stored = [...rows.getRange()].map(({ value: bytes }) => bytes.toString('utf8')).sort();
    await env.close();
    expect(stored).toEqual(
      [`{"p":3,"v":${text}}`, `{"p":4,"v":${text},"k":${JSON.stringify(`s:${long}`)}}`].sort(),
    );

    const reopened = open$();
    expect(reopened.get('short')).toEqual(value);
    expect(reopened.get(long)).toEqual(value);
    expect(new Map(reopened.entries())).toEqual(
      new Map([
        ['short', value],
        [long, value],
      ]),
    );
    await reopened.close();
  });

  it('drops one partition: its rows and its position, nothing else', async () => {
    const store = open$();
    store.put('a', { product: 'a', quantity: 1 }, 0, 1);
    store.put('b', { product: 'b', quantity: 1 }, 1, 1);
    store.put('c', { product: 'c', quantity: 1 }, 1, 2);
    await store.dropPartition(1);
    expect([...store.entries()].map(([key]) => key)).toEqual(['a']);
    expect(store.size).toBe(1);
    expect([...store.positions()]).toEqual([[0, 1]]);
    await store.close();
    const reopened = open$();
    expect(reopened.size).toBe(1);
    expect([...reopened.positions()]).toEqual([[0, 1]]);
    await reopened.clear();
    expect(reopened.size).toBe(0);
    expect(reopened.positions().size).toBe(0);
    await reopened.close();
  });

  it('never advances a position when its row cannot be written', async () => {
    const store = open$();
    store.put('a', { product: 'a', quantity: 1 }, 0, 1);
    const unwritable = {
      toJSON: () => {
        throw new Error('cannot encode');
      },
    } as unknown as Stock;
    expect(() => store.put('b', unwritable, 0, 2)).toThrow('cannot encode');
    expect(store.positions().get(0)).toBe(1);
    await store.close();
    const reopened = open$();
    expect(reopened.positions().get(0)).toBe(1);
    expect(reopened.has('b')).toBe(false);
    await reopened.close();
  });

  it('after kill -9 in the middle of writing, holds the row of exactly the last stored offset', async () => {
    const dir = join(root, 'crash');
    // Writes record i as key k<i % 7> = { offset: i } with next offset i + 1, as fast as it can,
    // letting the event loop turn every 1,000 records: the store writes what each turn applied
    // (in MAX_PENDING_RECORDS-record batches), on lmdb-js' write thread.
    await killWhenReady(
      dir,
      `(async () => {
           for (let i = 0; ; i++) {
             store.put('k' + (i % 7), { offset: i }, 0, i + 1);
             if (i === ${4 * MAX_PENDING_RECORDS}) process.stdout.write('ready\\n');
             if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
           }
         })();`,
    );

    const store = LmdbTableStore.open<string, { offset: number }>(dir);
    const next = store.positions().get(0) ?? 0;
    expect(next).toBeGreaterThanOrEqual(2 * MAX_PENDING_RECORDS);
    const last = next - 1;
    expect(store.get(`k${last % 7}`)).toEqual({ offset: last });
    for (const [, row] of store.entries()) expect(row.offset).toBeLessThanOrEqual(last);
    expect(store.size).toBe(7);
    await store.close();
  });

  it('after kill -9 while batches are written in the background, holds exactly the rows up to its stored offset', async () => {
    const dir = join(root, 'crash-background');
    // As a feeder does: batches of 5,003 records (record i is key r<i> = { offset: i }, so a batch
    // spans several of lmdb-js' instruction buffers), each applied while the one before is
    // written, waiting whenever the store holds the writer back.
    await killWhenReady(
      dir,
      `(async () => {
           for (let i = 0, batches = 0; ; batches++) {
             store.writeBatch(() => {
               for (const end = i + 5003; i < end; i++) store.put('r' + i, { offset: i }, 0, i + 1);
             });
             if (batches === 10) process.stdout.write('ready\\n');
             await store.backpressure();
           }
         })();`,
    );

    const store = LmdbTableStore.open<string, { offset: number }>(dir);
    const next = store.positions().get(0) ?? 0;
    expect(next).toBeGreaterThanOrEqual(8 * 5003);
    expect(next % 5003).toBe(0);
    expect(store.size).toBe(next);
    expect(store.get(`r${next - 1}`)).toEqual({ offset: next - 1 });
    expect(store.get(`r${next}`)).toBeUndefined();
    await store.close();
  });

  /** What another reader of the folder sees: committed rows (keys) and positions only. */
  const onDisk = async (
    dir: string,
  ): Promise<{ keys: string[]; positions: [number, number][] }> => {
    const env = open<unknown, string>({ path: dir, maxDbs: 4, readOnly: true });
    try {
      const rows = env.openDB<unknown, string>({ name: 'rows', encoding: 'json' });
      const positions = env.openDB<number, number>({
        name: 'positions',
        encoding: 'json',
        keyEncoding: 'uint32',
      });
      return {
        keys: [...rows.getKeys()],
        positions: [...positions.getRange()].map(({ key, value }) => [key, value]),
      };
    } finally {
      await env.close();
    }
  };
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('commits the rows and positions of one event-loop turn together, and serves them before', async () => {
    const dir = join(root, 'batch');
    const store = LmdbTableStore.open<string, Stock>(dir);
    store.put('a', { product: 'a', quantity: 1 }, 0, 1);
    store.put('b', { product: 'b', quantity: 1 }, 1, 1);
    store.remove('a', 0, 2);
    store.put('c', { product: 'c', quantity: 3 }, 0, 3);
    store.put('c', { product: 'c', quantity: 4 }, 0, 4);

    expect(store.get('c')).toEqual({ product: 'c', quantity: 4 });
    expect(store.has('a')).toBe(false);
    expect([...store.positions()]).toEqual([
      [0, 4],
      [1, 1],
    ]);
    expect(await onDisk(dir)).toEqual({ keys: [], positions: [] });

    await store.flush();
    expect(await onDisk(dir)).toEqual({
      keys: ['s:b', 's:c'],
      positions: [
        [0, 4],
        [1, 1],
      ],
    });
    expect(store.get('c')).toEqual({ product: 'c', quantity: 4 });
    expect(store.size).toBe(2);
    await store.close();
  });

  it(`starts writing after ${MAX_PENDING_RECORDS} records without waiting for the turn's end`, async () => {
    const dir = join(root, 'long-turn');
    const { commit, batches } = recording();
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);
    for (let i = 0; i < MAX_PENDING_RECORDS + 1; i++) {
      store.put(`k${i}`, { product: `k${i}`, quantity: i }, 0, i + 1);
    }
    expect(batches).toEqual([MAX_PENDING_RECORDS]);
    expect(store.backpressure()).toBeUndefined();
    for (let i = MAX_PENDING_RECORDS + 1; i <= 2 * MAX_PENDING_RECORDS; i++) {
      store.put(`k${i}`, { product: `k${i}`, quantity: i }, 0, i + 1);
    }
    // A second batch's worth waits for the first: the writer is held back until it is written.
    const behind = store.backpressure();
    expect(behind).toBeInstanceOf(Promise);
    await behind;
    expect(batches).toEqual([MAX_PENDING_RECORDS, MAX_PENDING_RECORDS + 1]);
    await store.flush();
    expect(store.size).toBe(2 * MAX_PENDING_RECORDS + 1);
    await store.close();
    expect((await onDisk(dir)).positions).toEqual([[0, 2 * MAX_PENDING_RECORDS + 1]]);
  });

  /** Committed rows and positions, read synchronously (usable inside a batch). */
  const onDiskNow = (dir: string): { keys: number; positions: [number, number][] } => {
    const env = open<unknown, string>({ path: dir, maxDbs: 4, readOnly: true });
    const rows = env.openDB<unknown, string>({ name: 'rows', encoding: 'json' });
    const positions = env.openDB<number, number>({
      name: 'positions',
      encoding: 'json',
      keyEncoding: 'uint32',
    });
    const seen = {
      keys: [...rows.getKeys()].length,
      positions: [...positions.getRange()].map(({ key, value }): [number, number] => [key, value]),
    };
    readers.push(env.close());
    return seen;
  };
  const readers: Promise<void>[] = [];
  afterEach(() => Promise.all(readers.splice(0)));

  it(`writes a batch in one transaction once it ends, however many records (above ${MAX_PENDING_RECORDS}) it holds`, async () => {
    const dir = join(root, 'write-batch');
    const { commit, batches } = recording();
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);
    const records = 2 * MAX_PENDING_RECORDS + 1;
    const during = store.writeBatch(() => {
      for (let i = 0; i < records; i++) {
        store.put(`k${i}`, { product: `k${i}`, quantity: i }, i % 2, Math.floor(i / 2) + 1);
      }
      return onDiskNow(dir);
    });

    expect(during).toEqual({ keys: 0, positions: [] });
    expect(batches).toEqual([records]);
    // Written in the background: served from memory until then.
    expect(onDiskNow(dir)).toEqual({ keys: 0, positions: [] });
    expect(store.get('k7')).toEqual({ product: 'k7', quantity: 7 });
    expect(store.size).toBe(records);
    await store.flush();
    expect(onDiskNow(dir)).toEqual({
      keys: records,
      positions: [
        [0, MAX_PENDING_RECORDS + 1],
        [1, MAX_PENDING_RECORDS],
      ],
    });
    expect(store.get('k7')).toEqual({ product: 'k7', quantity: 7 });
    expect(batches).toEqual([records]);
    await store.close();
  });

  it('keeps what a failing batch applied before it threw, and writes it as any batch', async () => {
    const dir = join(root, 'failed-batch');
    const store = LmdbTableStore.open<string, Stock>(dir);
    expect(() =>
      store.writeBatch(() => {
        store.put('a', { product: 'a', quantity: 1 }, 0, 1);
        store.remove('b', 0, 2);
        throw new Error('the registry is down');
      }),
    ).toThrow('the registry is down');

    expect(store.get('a')).toEqual({ product: 'a', quantity: 1 });
    expect([...store.positions()]).toEqual([[0, 2]]);
    await store.flush();
    expect(onDiskNow(dir)).toEqual({ keys: 1, positions: [[0, 2]] });
    await store.close();
  });

  it('after kill -9, holds every committed batch whole and nothing of the batch in progress', async () => {
    const dir = join(root, 'crash-batch');
    await killWhenReady(
      dir,
      `store.put('k0', { offset: 0 }, 0, 1);
         store.put('k1', { offset: 1 }, 0, 2);
         store.put('k2', { offset: 2 }, 1, 1);
         void store.flush().then(() => {
           store.put('k3', { offset: 3 }, 0, 3);
           store.remove('k0', 0, 4);
           store.put('k2', { offset: 5 }, 1, 2);
           process.stdout.write('ready\\n');
           for (;;) {}
         });`,
    );

    const store = LmdbTableStore.open<string, { offset: number }>(dir);
    expect(new Map(store.positions())).toEqual(
      new Map([
        [0, 2],
        [1, 1],
      ]),
    );
    expect([...store.entries()]).toEqual([
      ['k0', { offset: 0 }],
      ['k1', { offset: 1 }],
      ['k2', { offset: 2 }],
    ]);
    await store.close();
  });

  it('serves every applied change while its batch is written, newest first, and writes the batches in order', async () => {
    const dir = join(root, 'in-flight');
    const before = LmdbTableStore.open<string, Stock>(dir);
    before.put('kept', stock('kept', 1), 0, 1);
    before.put('removed', stock('removed', 1), 0, 2);
    before.put('changed', stock('changed', 1), 0, 3);
    await before.close();
    const { commit, batches, release } = held();
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);

    store.writeBatch(() => {
      store.put('changed', stock('changed', 2), 0, 4);
      store.remove('removed', 0, 5);
      store.put('new', stock('new', 1), 1, 1);
    });
    expect(store.backpressure()).toBeUndefined();
    store.writeBatch(() => {
      store.put('changed', stock('changed', 3), 0, 6);
      store.put('removed', stock('removed', 3), 0, 7);
      store.remove('new', 1, 2);
    });

    const expected = new Map([
      ['kept', stock('kept', 1)],
      ['changed', stock('changed', 3)],
      ['removed', stock('removed', 3)],
    ]);
    expect(new Map(store.entries())).toEqual(expected);
    expect(store.size).toBe(3);
    expect(store.get('changed')).toEqual(stock('changed', 3));
    expect(store.has('new')).toBe(false);
    expect(batches).toEqual([3]);
    expect(onDiskNow(dir)).toEqual({ keys: 3, positions: [[0, 3]] });
    // A whole batch waits for the one being written: the feeder is held back until it is.
    const behind = store.backpressure();
    expect(behind).toBeInstanceOf(Promise);

    release();
    await behind;
    expect(batches).toEqual([3, 3]);
    await store.flush();
    expect(onDiskNow(dir)).toEqual({
      keys: 3,
      positions: [
        [0, 7],
        [1, 2],
      ],
    });
    expect(new Map(store.entries())).toEqual(expected);
    expect(store.size).toBe(3);
    await store.close();
  });

  it('closes only once the batch being written and the changes after it are on disk', async () => {
    const dir = join(root, 'close-waits');
    const { commit, release } = held();
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);
    store.writeBatch(() => store.put('a', stock('a', 1), 0, 1));
    store.put('b', stock('b', 1), 0, 2);
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    expect(() => store.get('a')).toThrow(TableStoreClosedError);
    expect(() => store.put('c', stock('c', 1), 0, 3)).toThrow(TableStoreClosedError);
    await nextTurn();
    await nextTurn();
    expect(closed).toBe(false);

    release();
    await closing;
    const reopened = LmdbTableStore.open<string, Stock>(dir);
    expect(new Map(reopened.entries())).toEqual(
      new Map([
        ['a', stock('a', 1)],
        ['b', stock('b', 1)],
      ]),
    );
    expect([...reopened.positions()]).toEqual([[0, 2]]);
    await reopened.close();
  });

  it('drops a partition once the batch being written is on disk', async () => {
    const dir = join(root, 'drop-waits');
    const { commit, release } = held();
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);
    store.writeBatch(() => {
      store.put('a', stock('a', 1), 0, 1);
      store.put('b', stock('b', 1), 1, 1);
    });
    const dropping = store.dropPartition(1);
    release();
    await dropping;
    expect([...store.entries()]).toEqual([['a', stock('a', 1)]]);
    expect(onDiskNow(dir)).toEqual({ keys: 1, positions: [[0, 1]] });
    await store.close();
  });

  it('puts a failed batch back beneath the newer changes, reports it once, and writes it with the next batch', async () => {
    const dir = join(root, 'failed-write');
    const { commit, batches } = failing(1);
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, commit);
    store.writeBatch(() => {
      store.put('a', stock('a', 1), 0, 1);
      store.put('b', stock('b', 1), 0, 2);
    });
    store.writeBatch(() => store.put('a', stock('a', 2), 0, 3));

    const behind = store.backpressure();
    await expect(behind).rejects.toThrow(TableStoreCommitError);
    await expect(behind).rejects.toThrow('no space left on device');
    expect(store.backpressure()).toBeUndefined();
    expect(store.get('a')).toEqual(stock('a', 2));
    expect(store.get('b')).toEqual(stock('b', 1));
    expect(store.size).toBe(2);
    expect(onDiskNow(dir)).toEqual({ keys: 0, positions: [] });

    store.writeBatch(() => store.put('c', stock('c', 1), 1, 1));
    await store.flush();
    expect(batches).toEqual([-2, 4]);
    expect(onDiskNow(dir)).toEqual({
      keys: 3,
      positions: [
        [0, 3],
        [1, 1],
      ],
    });
    expect(store.get('a')).toEqual(stock('a', 2));
    await store.close();
  });

  it('rejects flush and close while writes keep failing, keeps serving the changes, and still closes', async () => {
    const dir = join(root, 'failing-writes');
    const store = LmdbTableStore.open<string, Stock>(dir, undefined, failing(Infinity).commit);
    store.put('a', stock('a', 1), 0, 1);
    await expect(store.flush()).rejects.toThrow(TableStoreCommitError);
    expect(store.get('a')).toEqual(stock('a', 1));
    expect(store.backpressure()).toBeUndefined();
    await expect(store.close()).rejects.toThrow(TableStoreCommitError);

    const reopened = LmdbTableStore.open<string, Stock>(dir);
    expect(reopened.size).toBe(0);
    expect(reopened.positions().size).toBe(0);
    await reopened.close();
  });

  it('refuses reads once closed, naming the folder', async () => {
    const store = open$();
    await store.close();
    await store.close();
    expect(() => store.get('a')).toThrow(TableStoreClosedError);
    expect(() => store.size).toThrow(join(root, 'table'));
  });
});

describe('openPersistentTableStore', () => {
  let root: string;
  const request = (overrides: Partial<PersistentTableRequest> = {}): PersistentTableRequest => ({
    table: 'stock-checker.stock',
    dir: join(root, 'stock-checker', 'stock'),
    topic: 'warehouse',
    partitions: 3,
    rebuild: false,
    ...overrides,
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'streamwise-lmdb-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the folder, then resumes the same store on the next open', async () => {
    const first = await openPersistentTableStore<string, number>(request());
    expect(first.rebuildReason).toMatch(/new/);
    first.store.put('a', 1, 2, 10);
    await first.store.close();

    const second = await openPersistentTableStore<string, number>(request());
    expect(second.rebuildReason).toBeUndefined();
    expect(second.store.get('a')).toBe(1);
    expect(second.store.positions().get(2)).toBe(10);
    await second.store.close();
  });

  it('refuses a store built from another topic or partition count, telling what to do', async () => {
    const first = await openPersistentTableStore<string, number>(request());
    first.store.put('a', 1, 0, 1);
    await first.store.close();

    const otherTopic = openPersistentTableStore(request({ topic: 'warehouse-v2' }));
    await expect(otherTopic).rejects.toBeInstanceOf(TableStoreMismatchError);
    await expect(otherTopic).rejects.toThrow(/"warehouse", not "warehouse-v2".*rebuildTables/);
    const morePartitions = openPersistentTableStore(request({ partitions: 6 }));
    await expect(morePartitions).rejects.toThrow(
      /had 3 partitions .* has 6 now.*delete the folder/,
    );

    // The refused opens released the folder; asking for a rebuild accepts the new source.
    const rebuilt = await openPersistentTableStore<string, number>(
      request({ partitions: 6, rebuild: true }),
    );
    expect(rebuilt.rebuildReason).toMatch(/rebuildTables/);
    expect(rebuilt.store.size).toBe(0);
    expect(rebuilt.store.positions().size).toBe(0);
    await rebuilt.store.close();
    const again = await openPersistentTableStore(request({ partitions: 6 }));
    expect(again.rebuildReason).toBeUndefined();
    await again.store.close();
  });

  it('rebuilds a store whose header is missing or unreadable', async () => {
    const first = await openPersistentTableStore<string, number>(request());
    first.store.put('a', 1, 0, 1);
    await first.store.close();
    const raw = open({ path: request().dir, maxDbs: 4 });
    const meta = raw.openDB<unknown, string>({ name: 'meta', encoding: 'json' });
    meta.putSync('header', { format: 1, topic: 'warehouse' });
    await raw.close();

    const corrupt = await openPersistentTableStore<string, number>(request());
    expect(corrupt.rebuildReason).toMatch(/unreadable: the header has no partition count/);
    expect(corrupt.store.size).toBe(0);
    corrupt.store.put('b', 2, 0, 1);
    await corrupt.store.close();

    const raw2 = open({ path: request().dir, maxDbs: 4 });
    raw2.openDB<unknown, string>({ name: 'meta', encoding: 'json' }).removeSync('header');
    await raw2.close();
    const missing = await openPersistentTableStore<string, number>(request());
    expect(missing.rebuildReason).toMatch(/no header/);
    expect(missing.store.has('b')).toBe(false);
    await missing.store.close();
  });

  it('lets one instance at a time use a folder', async () => {
    const first = await openPersistentTableStore(request());
    const second = openPersistentTableStore(request());
    await expect(second).rejects.toBeInstanceOf(TableStoreLockedError);
    await expect(second).rejects.toThrow(/own stateDir/);
    await first.store.close();
    const third = await openPersistentTableStore(request());
    await third.store.close();
  });

  it('takes over a lock left by a process that is gone, but not one a running process holds', async () => {
    const lock = join(request().dir, 'streamwise.lock');
    mkdirSync(request().dir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(lock, String(gone));
    const taken = await openPersistentTableStore(request());
    await taken.store.close();

    writeFileSync(lock, String(process.ppid));
    await expect(openPersistentTableStore(request())).rejects.toThrow(
      `in use by process ${process.ppid}`,
    );
  });
});

/**
 * Runs `script` in a child process with `store`, an LmdbTableStore opened on `dir`, kills it
 * (SIGKILL) once it writes a line to stdout, and waits for it to exit. The child is killed also
 * when the wait fails, so no writer outlives its test.
 */
async function killWhenReady(dir: string, script: string): Promise<void> {
  const writer = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `const { LmdbTableStore } = require(${JSON.stringify(join(__dirname, 'lmdb-table-store.ts'))});
       const store = LmdbTableStore.open(${JSON.stringify(dir)});
       ${script}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '../../..') },
  );
  const exited = new Promise((resolve) => writer.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', () => resolve());
      writer.on('exit', (code) => reject(new Error(`writer exited with ${String(code)}`)));
    });
  } finally {
    writer.kill('SIGKILL');
    await exited;
  }
}
