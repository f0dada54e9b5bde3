import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { open } from 'lmdb';

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
    store.dropPartition(1);
    expect([...store.entries()].map(([key]) => key)).toEqual(['a']);
    expect(store.size).toBe(1);
    expect([...store.positions()]).toEqual([[0, 1]]);
    await store.close();
    const reopened = open$();
    expect(reopened.size).toBe(1);
    expect([...reopened.positions()]).toEqual([[0, 1]]);
    reopened.clear();
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
    // never yielding: the store commits every MAX_PENDING_RECORDS records.
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { LmdbTableStore } = require(${JSON.stringify(join(__dirname, 'lmdb-table-store.ts'))});
         const store = LmdbTableStore.open(${JSON.stringify(dir)});
         for (let i = 0; ; i++) {
           store.put('k' + (i % 7), { offset: i }, 0, i + 1);
           if (i === ${2 * MAX_PENDING_RECORDS}) process.stdout.write('ready\\n');
         }`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '../../..') },
    );
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', () => resolve());
      writer.on('exit', (code) => reject(new Error(`writer exited with ${String(code)}`)));
    });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    writer.kill('SIGKILL');
    await exited;

    const store = LmdbTableStore.open<string, { offset: number }>(dir);
    const next = store.positions().get(0) ?? 0;
    expect(next).toBeGreaterThanOrEqual(2 * MAX_PENDING_RECORDS);
    const last = next - 1;
    expect(store.get(`k${last % 7}`)).toEqual({ offset: last });
    for (const [, row] of store.entries()) expect(row.offset).toBeLessThanOrEqual(last);
    expect(store.size).toBe(7);
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

    await nextTurn();
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

  it(`commits after ${MAX_PENDING_RECORDS} records even when the turn does not end`, async () => {
    const dir = join(root, 'long-turn');
    const store = LmdbTableStore.open<string, Stock>(dir);
    for (let i = 0; i < MAX_PENDING_RECORDS + 1; i++) {
      store.put(`k${i}`, { product: `k${i}`, quantity: i }, 0, i + 1);
    }
    const seen = await onDisk(dir);
    expect(seen.keys).toHaveLength(MAX_PENDING_RECORDS);
    expect(seen.positions).toEqual([[0, MAX_PENDING_RECORDS]]);
    await store.close();
    expect((await onDisk(dir)).positions).toEqual([[0, MAX_PENDING_RECORDS + 1]]);
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

  it(`commits a batch in one transaction when it ends, however many records (above ${MAX_PENDING_RECORDS}) it holds`, async () => {
    const dir = join(root, 'write-batch');
    const store = LmdbTableStore.open<string, Stock>(dir);
    const records = 2 * MAX_PENDING_RECORDS + 1;
    const during = store.writeBatch(() => {
      for (let i = 0; i < records; i++) {
        store.put(`k${i}`, { product: `k${i}`, quantity: i }, i % 2, Math.floor(i / 2) + 1);
      }
      return onDiskNow(dir);
    });

    expect(during).toEqual({ keys: 0, positions: [] });
    expect(onDiskNow(dir)).toEqual({
      keys: records,
      positions: [
        [0, MAX_PENDING_RECORDS + 1],
        [1, MAX_PENDING_RECORDS],
      ],
    });
    expect(store.get('k7')).toEqual({ product: 'k7', quantity: 7 });
    await store.close();
  });

  it('keeps what a failing batch applied before it threw, and commits it by the end of the turn', async () => {
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
    await nextTurn();
    expect(onDiskNow(dir)).toEqual({ keys: 1, positions: [[0, 2]] });
    await store.close();
  });

  it('after kill -9, holds every committed batch whole and nothing of the batch in progress', async () => {
    const dir = join(root, 'crash-batch');
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { LmdbTableStore } = require(${JSON.stringify(join(__dirname, 'lmdb-table-store.ts'))});
         const store = LmdbTableStore.open(${JSON.stringify(dir)});
         store.put('k0', { offset: 0 }, 0, 1);
         store.put('k1', { offset: 1 }, 0, 2);
         store.put('k2', { offset: 2 }, 1, 1);
         store.flush();
         store.put('k3', { offset: 3 }, 0, 3);
         store.remove('k0', 0, 4);
         store.put('k2', { offset: 5 }, 1, 2);
         process.stdout.write('ready\\n');
         for (;;) {}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '../../..') },
    );
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', () => resolve());
      writer.on('exit', (code) => reject(new Error(`writer exited with ${String(code)}`)));
    });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    writer.kill('SIGKILL');
    await exited;

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
