import { defineTopic } from '../../codec/define-topic';
import { EventHandler } from '../../decorators/event-handler';
import { Materialize } from '../../decorators/materialize';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { ConfigurationError } from '../../errors/configuration-error';
import { TableWaitTimeoutError } from '../../errors/table-wait-timeout-error';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { MemoryBroker } from '../../transport/memory/memory-broker';
import type { ReadOnlyTable } from './read-only-table';

interface Stock {
  product: string;
  quantity: number;
}
interface Order {
  id: string;
  product: string;
  quantity: number;
}
interface Check {
  orderId: string;
  result: 'PASS' | 'FAIL';
}

const Warehouse = defineTopic<Stock>({
  name: 'warehouse',
  entity: 'Stock',
  key: (s) => s.product,
  partitions: 3,
  compacted: true,
});
const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 3,
});
const Checks = defineTopic<Check>({
  name: 'checks',
  entity: 'Check',
  key: (c) => c.orderId,
  partitions: 3,
});

@Service('warehouse-admin')
@OwnsTopic(Warehouse)
class WarehouseAdmin extends StreamService {}

@Service('orders-desk')
@OwnsTopic(Orders)
class OrdersDesk extends StreamService {}

@Service('stock-checker')
@OwnsTopic(Checks)
class StockChecker extends StreamService {
  @Materialize(Warehouse)
  readonly stock!: ReadOnlyTable<string, Stock>;
  sizeAtStart = -1;

  override onStart(): void {
    this.sizeAtStart = this.stock.size;
  }

  @EventHandler(Orders)
  async check(order: Order): Promise<void> {
    const level = this.stock.get(order.product)?.quantity ?? 0;
    await this.publish(Checks, {
      orderId: order.id,
      result: level >= order.quantity ? 'PASS' : 'FAIL',
    });
  }
}

describe('@Materialize global tables', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('joins a stream against the latest value per key, and tombstones delete', async () => {
    bed = await TestBed.start([WarehouseAdmin, OrdersDesk, StockChecker]);
    await bed.send(Warehouse, { product: 'jumper', quantity: 1 });
    await bed.send(Warehouse, { product: 'jumper', quantity: 5 });
    await bed.send(Warehouse, { product: 'socks', quantity: 2 });
    await bed.drain();
    await bed.send(Orders, { id: 'o1', product: 'jumper', quantity: 4 });
    await bed.send(Orders, { id: 'o2', product: 'socks', quantity: 3 });
    await bed.drain();
    await bed.sendTombstone(Warehouse, 'jumper');
    await bed.drain();
    await bed.send(Orders, { id: 'o3', product: 'jumper', quantity: 1 });
    await bed.drain();

    expect(bed.topic(Checks).values()).toEqual([
      { orderId: 'o1', result: 'PASS' },
      { orderId: 'o2', result: 'FAIL' },
      { orderId: 'o3', result: 'FAIL' },
    ]);
    const stock = bed.service(StockChecker).stock;
    expect([...stock.entries()]).toEqual([['socks', { product: 'socks', quantity: 2 }]]);
    expect(stock.has('jumper')).toBe(false);
  });

  it('is rebuilt from the log and caught up before onStart and before any handler runs', async () => {
    const broker = new MemoryBroker();
    const first = await TestBed.start([WarehouseAdmin], { broker });
    for (let i = 0; i < 20; i++) await first.send(Warehouse, { product: `p${i % 7}`, quantity: i });
    await first.drain();
    await first.stop();

    bed = await TestBed.start([WarehouseAdmin, StockChecker], { broker });
    expect(bed.service(StockChecker).sizeAtStart).toBe(7);
    expect(bed.service(StockChecker).stock.get('p6')).toEqual({ product: 'p6', quantity: 13 });
  });

  it('offers no way to write: the view and the property are read-only', async () => {
    bed = await TestBed.start([WarehouseAdmin, StockChecker]);
    const service = bed.service(StockChecker);
    const view = service.stock as unknown as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual([
      'entries',
      'get',
      'has',
      'size',
      'skipped',
      'waitFor',
      'waiting',
    ]);
    expect(() => {
      view.set = () => undefined;
    }).toThrow(TypeError);
    expect(() => {
      (service as unknown as Record<string, unknown>).stock = new Map();
    }).toThrow(TypeError);
  });

  it('waits for a key to reach a state, or times out on the clock', async () => {
    bed = await TestBed.start([WarehouseAdmin, StockChecker]);
    const stock = bed.service(StockChecker).stock;
    const restocked = stock.waitFor('hat', (s) => s.quantity >= 10, 60_000);
    await bed.send(Warehouse, { product: 'hat', quantity: 3 });
    await bed.drain();
    await bed.send(Warehouse, { product: 'hat', quantity: 12 });
    await bed.drain();
    await expect(restocked).resolves.toEqual({ product: 'hat', quantity: 12 });

    const never = stock.waitFor('scarf', undefined, 5_000);
    bed.clock.advance(5_000);
    await expect(never).rejects.toBeInstanceOf(TableWaitTimeoutError);
  });

  it('refuses a persistent partitioned view, which this version cannot honour, naming the member', async () => {
    @Service('persistent-checker')
    class PersistentChecker extends StreamService {
      @Materialize(Warehouse, { mode: 'partitioned', store: 'persistent' })
      readonly stock!: ReadOnlyTable<string, Stock>;
    }
    const started = TestBed.start([WarehouseAdmin, PersistentChecker]);
    await expect(started).rejects.toThrow(ConfigurationError);
    await expect(started).rejects.toThrow(
      "PersistentChecker.stock: @Materialize with mode 'partitioned' and store 'persistent' is not available",
    );
  });
});
