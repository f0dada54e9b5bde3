import { DeadLetterHeaderNames } from '../../src';
import { ManualClock, TestBed } from '../../src/testing';
import { MemoryBroker } from '../../src/transport/memory/memory-broker';
import { ordersContainer } from './emailer';
import {
  DetailsValidations,
  FraudValidations,
  InventoryValidations,
  ORDER_SERVICES,
  Orders,
  OrdersService,
  WarehouseService,
} from './services';
import { newOrder } from './test-support';

/** The split of run-orders-kafka.ts: orders-service in one process, every other service in another. */
describe('the orders system split over two processes', () => {
  const beds: TestBed[] = [];
  afterEach(async () => {
    for (const bed of beds.splice(0).reverse()) await bed.stop();
  });

  it("dead-letters, in both processes, an order written under another service's name, and the partitioned orders view leaves it out", async () => {
    const broker = new MemoryBroker();
    const container = ordersContainer({ send: () => Promise.resolve() });
    // One broker and one clock: the two processes see the same log and the same time.
    const options = {
      broker,
      container,
      clock: new ManualClock(),
      schemaRegistry: 'none' as const,
    };
    const others = await TestBed.start(
      ORDER_SERVICES.filter((s) => s !== OrdersService),
      options,
    );
    beds.push(others);
    const orders = await TestBed.start([OrdersService], options);
    beds.push(orders);
    await others.service(WarehouseService).setStock({ product: 'JUMPERS', quantity: 10 });

    await others.sendRaw(Orders, {
      key: 'forged-1',
      value: JSON.stringify(newOrder('forged-1')),
      headers: { 'sw-producer': 'payments-service' },
    });
    for (const bed of beds) await bed.drain();

    const dead = others.deadLetters(Orders).records();
    expect(dead.map((r) => r.headers[DeadLetterHeaderNames.REASON])).toEqual(
      dead.map(() => 'foreign-producer'),
    );
    expect(dead.map((r) => r.headers[DeadLetterHeaderNames.SERVICE]).sort()).toEqual([
      'email-service',
      'fraud-service',
      'inventory-service',
      'order-details-service',
      'orders-service',
    ]);
    for (const topic of [InventoryValidations, FraudValidations, DetailsValidations]) {
      expect(others.topic(topic).count).toBe(0);
    }
    const view = orders.service(OrdersService).orders;
    expect(view.has('forged-1')).toBe(false);
    expect(view.skipped['foreign-producer']).toBe(1);
  });
});
