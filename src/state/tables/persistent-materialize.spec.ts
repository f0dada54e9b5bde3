import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { StreamwiseApp } from '../../app/streamwise-app';
import { ManualClock } from '../../clock/manual-clock';
import { defineTopic } from '../../codec/define-topic';
import { Materialize } from '../../decorators/materialize';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { SilentLogger } from '../../logging/silent-logger';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { MemoryBroker } from '../../transport/memory/memory-broker';
import { MemoryTransport } from '../../transport/memory/memory-transport';
import { LmdbTableStore } from './lmdb-table-store';
import { MaterializedTable } from './materialized-table';
import type { ReadOnlyTable } from './read-only-table';
import { TableStoreMismatchError } from './table-store-mismatch-error';

interface Stock {
  product: string;
  quantity: number;
}

const Warehouse = defineTopic<Stock>({
  name: 'warehouse',
  entity: 'Stock',
  key: (s) => s.product,
  partitions: 3,
  compacted: true,
});

@Service('warehouse-admin')
@OwnsTopic(Warehouse)
class WarehouseAdmin extends StreamService {}

@Service('stock-keeper')
class StockKeeper extends StreamService {
  @Materialize(Warehouse, { store: 'persistent' })
  readonly stock!: ReadOnlyTable<string, Stock>;
  sizeAtStart = -1;

  override onStart(): void {
    this.sizeAtStart = this.stock.size;
  }
}

const sorted = (table: ReadOnlyTable<string, Stock>): [string, Stock][] =>
  [...table.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('@Materialize persistent global tables', () => {
  let stateDir: string;
  let broker: MemoryBroker;
  const storeDir = (): string => join(stateDir, 'stock-keeper', 'stock');
  /** The positions on disk (the app must be stopped: it holds the folder while it runs). */
  const positionsOnDisk = async (): Promise<Map<number, number>> => {
    const store = LmdbTableStore.open(storeDir());
    const positions = new Map(store.positions());
    await store.close();
    return positions;
  };
  const startBed = (): Promise<TestBed> =>
    TestBed.start([WarehouseAdmin, StockKeeper], { broker, stateDir, schemaRegistry: 'none' });

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'streamwise-state-'));
    broker = new MemoryBroker();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** 20 updates of 7 products and one delete, written and applied by a first instance. */
  const fillAndStop = async (): Promise<[string, Stock][]> => {
    const first = await startBed();
    for (let i = 0; i < 20; i++) await first.send(Warehouse, { product: `p${i % 7}`, quantity: i });
    await first.sendTombstone(Warehouse, 'p0');
    await first.drain();
    const rows = sorted(first.service(StockKeeper).stock);
    await first.stop();
    return rows;
  };

  it('resumes after a restart where it stopped, applying only records written since', async () => {
    const before = await fillAndStop();
    expect(before).toHaveLength(6);
    const positionsBefore = await positionsOnDisk();
    expect([...positionsBefore.values()].reduce((a, b) => a + b, 0)).toBe(21);

    const applied = jest.spyOn(MaterializedTable.prototype, 'apply');
    const second = await startBed();
    try {
      const keeper = second.service(StockKeeper);
      expect(applied).not.toHaveBeenCalled();
      expect(keeper.sizeAtStart).toBe(6);
      expect(sorted(keeper.stock)).toEqual(before);

      await second.send(Warehouse, { product: 'p3', quantity: 99 });
      await second.sendTombstone(Warehouse, 'p4');
      await second.drain();
      expect(applied).toHaveBeenCalledTimes(2);
      expect(keeper.stock.get('p3')).toEqual({ product: 'p3', quantity: 99 });
      expect(keeper.stock.has('p4')).toBe(false);
    } finally {
      await second.stop();
    }
    // Each partition moved on by exactly the records written to it since the restart.
    const positionsAfter = await positionsOnDisk();
    const writtenSince = new Map<number, number>();
    for (const record of second.topic(Warehouse).records().slice(21)) {
      writtenSince.set(record.partition, (writtenSince.get(record.partition) ?? 0) + 1);
    }
    for (const [partition, next] of positionsAfter) {
      expect(next).toBe((positionsBefore.get(partition) ?? 0) + (writtenSince.get(partition) ?? 0));
    }
  });

  it('rebuilds from offset 0 with rebuildTables: true, to the same table', async () => {
    const before = await fillAndStop();
    const positionsBefore = await positionsOnDisk();

    const applied = jest.spyOn(MaterializedTable.prototype, 'apply');
    const app = StreamwiseApp.create({
      services: [StockKeeper],
      transport: new MemoryTransport({ broker }),
      clock: new ManualClock(),
      logger: new SilentLogger(),
      http: false,
      stateDir,
      rebuildTables: true,
    });
    await app.start();
    try {
      expect(applied).toHaveBeenCalledTimes(21);
      expect(app.service(StockKeeper).sizeAtStart).toBe(6);
      expect(sorted(app.service(StockKeeper).stock)).toEqual(before);
    } finally {
      await app.stop();
    }
    expect(await positionsOnDisk()).toEqual(positionsBefore);
  });

  it('reads the log from the start when the stored positions lie past its end (topic recreated)', async () => {
    await fillAndStop();
    broker = new MemoryBroker();
    const bed = await startBed();
    try {
      expect(bed.service(StockKeeper).sizeAtStart).toBe(0);
      await bed.send(Warehouse, { product: 'fresh', quantity: 1 });
      await bed.drain();
      expect(sorted(bed.service(StockKeeper).stock)).toEqual([
        ['fresh', { product: 'fresh', quantity: 1 }],
      ]);
    } finally {
      await bed.stop();
    }
  });

  it('refuses a store built when the topic had another partition count, and says how to rebuild', async () => {
    await fillAndStop();
    // The topic was deleted and created again with more partitions.
    broker = new MemoryBroker();
    const Widened = defineTopic<Stock>({
      name: 'warehouse',
      entity: 'Stock',
      key: (s) => s.product,
      partitions: 6,
      compacted: true,
    });
    @Service('stock-keeper')
    class WidenedKeeper extends StreamService {
      @Materialize(Widened, { store: 'persistent' })
      readonly stock!: ReadOnlyTable<string, Stock>;
    }
    const start = (rebuildTables: boolean): Promise<StreamwiseApp> =>
      StreamwiseApp.create({
        services: [WidenedKeeper],
        transport: new MemoryTransport({ broker }),
        logger: new SilentLogger(),
        http: false,
        stateDir,
        rebuildTables,
      }).start();
    const refused = start(false);
    await expect(refused).rejects.toBeInstanceOf(TableStoreMismatchError);
    await expect(refused).rejects.toThrow(
      /"stock-keeper.stock".*had 3 partitions when it was built and has 6 now.*rebuildTables: true/,
    );

    const rebuilt = await start(true);
    await rebuilt.stop();
  });
});
