import { defineTopic } from '../../codec/define-topic';
import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { Windowed, WindowedJoin } from '../../decorators/windowed';
import type { EventContext } from '../../model/service/event-context';
import { DeadLetterHeaderNames } from '../../model/topics/header-names';
import { session } from '../../model/windows/window-spec';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { MemoryBroker } from '../../transport/memory/memory-broker';
import type { JoinStore } from './join-store';
import type { WindowedStore } from './windowed-store';

const HOUR = 3_600_000;

interface Order {
  id: string;
  customer: string;
  quantity: number;
  price: number;
}
interface Payment {
  orderId: string;
  amount: number;
}

/** Orders keyed by customer: the fraud window is per customer. */
const OrdersByCustomer = defineTopic<Order>({
  name: 'orders-by-customer',
  entity: 'Order',
  key: (o) => o.customer,
  partitions: 2,
});
const FraudChecks = defineTopic<{ orderId: string; total: number; result: 'PASS' | 'FAIL' }>({
  name: 'fraud-checks',
  entity: 'FraudCheck',
  key: (c) => c.orderId,
  partitions: 2,
});

@Service('shop')
@OwnsTopic(OrdersByCustomer)
class Shop extends StreamService {}

@Service('fraud-service')
@OwnsTopic(FraudChecks)
class FraudService extends StreamService {
  @Windowed<string, Order, number>('order-totals', {
    window: session(HOUR, { graceMs: 60_000 }),
    initial: () => 0,
    aggregate: (total, order) => total + order.quantity * order.price,
    merge: (a, b) => a + b,
    emit: 'update',
  })
  readonly totals!: WindowedStore<string, Order, number>;

  @EventHandler(OrdersByCustomer)
  async check(order: Order, ctx: EventContext): Promise<void> {
    const [result] = this.totals.add(order.customer, order, ctx.timestamp);
    const total = result?.aggregate ?? 0;
    await this.publish(FraudChecks, {
      orderId: order.id,
      total,
      result: total >= 2000 ? 'FAIL' : 'PASS',
    });
  }
}

describe('@Windowed on TestBed', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('sums per customer in a session window and applies the 2000 limit', async () => {
    bed = await TestBed.start([Shop, FraudService]);
    const t0 = bed.clock.now();
    await bed.send(OrdersByCustomer, order('o1', 'ann', 1000), { timestamp: t0 });
    await bed.send(OrdersByCustomer, order('o2', 'ann', 900), { timestamp: t0 + 10 * 60_000 });
    await bed.send(OrdersByCustomer, order('o3', 'bob', 300), { timestamp: t0 + 20 * 60_000 });
    await bed.send(OrdersByCustomer, order('o4', 'ann', 100), { timestamp: t0 + 30 * 60_000 });
    await bed.send(OrdersByCustomer, order('o5', 'ann', 500), {
      timestamp: t0 + 30 * 60_000 + HOUR + 1,
    });
    await bed.drain();
    expect(bed.topic(FraudChecks).values()).toEqual([
      { orderId: 'o1', total: 1000, result: 'PASS' },
      { orderId: 'o2', total: 1900, result: 'PASS' },
      { orderId: 'o3', total: 300, result: 'PASS' },
      { orderId: 'o4', total: 2000, result: 'FAIL' },
      { orderId: 'o5', total: 500, result: 'PASS' },
    ]);
  });

  it('dead-letters and counts a record later than the grace period', async () => {
    bed = await TestBed.start([Shop, FraudService]);
    const t0 = bed.clock.now();
    await bed.send(OrdersByCustomer, order('o1', 'ann', 10), { timestamp: t0 + 5 * HOUR });
    await bed.send(OrdersByCustomer, order('late', 'ann', 10), { timestamp: t0 });
    await bed.drain();
    const [dead] = bed.deadLetters(OrdersByCustomer).records();
    expect(dead.headers[DeadLetterHeaderNames.ERROR_CODE]).toBe('SW_LATE_RECORD');
    expect(dead.headers[DeadLetterHeaderNames.ATTEMPTS]).toBe('1');
    expect(bed.service(FraudService).totals.lateCount).toBe(1);
    expect(
      bed
        .topic(FraudChecks)
        .values()
        .map((c) => c.orderId),
    ).toEqual(['o1']);
  });

  it('keeps its windows across a restart through the changelog', async () => {
    const broker = new MemoryBroker();
    bed = await TestBed.start([Shop, FraudService], { broker });
    const t0 = bed.clock.now();
    await bed.send(OrdersByCustomer, order('o1', 'ann', 1500), { timestamp: t0 });
    await bed.drain();
    await bed.app.stop();
    await bed.startInstance([FraudService]);
    await bed.send(OrdersByCustomer, order('o2', 'ann', 600), { timestamp: t0 + 60_000 });
    await bed.drain();
    expect(bed.topic(FraudChecks).values().at(-1)).toEqual({
      orderId: 'o2',
      total: 2100,
      result: 'FAIL',
    });
  });
});

const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 2,
});
const Payments = defineTopic<Payment>({
  name: 'payments',
  entity: 'Payment',
  key: (p) => p.orderId,
  partitions: 2,
});
const Receipts = defineTopic<{ orderId: string; paid: number }>({
  name: 'receipts',
  entity: 'Receipt',
  key: (r) => r.orderId,
  partitions: 2,
});

@Service('till')
@OwnsTopic(Orders, Payments)
class Till extends StreamService {}

@Service('receipts-service')
@OwnsTopic(Receipts)
class ReceiptsService extends StreamService {
  @WindowedJoin<string, Order, Payment, { orderId: string; paid: number }>('order-payments', {
    withinMs: 60_000,
    join: (o, p) => ({ orderId: o.id, paid: p.amount }),
  })
  readonly paid!: JoinStore<string, Order, Payment, { orderId: string; paid: number }>;

  @EventHandler(Orders)
  async order(o: Order, ctx: EventContext): Promise<void> {
    for (const r of this.paid.addLeft(o.id, o, ctx.timestamp))
      await this.publish(Receipts, r.value);
  }

  @EventHandler(Payments)
  async payment(p: Payment, ctx: EventContext): Promise<void> {
    for (const r of this.paid.addRight(p.orderId, p, ctx.timestamp))
      await this.publish(Receipts, r.value);
  }
}

describe('@WindowedJoin on TestBed', () => {
  it('joins an order with its payment within a minute, in either order, and not beyond', async () => {
    const bed = await TestBed.start([Till, ReceiptsService]);
    const t0 = bed.clock.now();
    await bed.send(Payments, { orderId: 'a', amount: 5 }, { timestamp: t0 });
    await bed.send(Orders, order('a', 'ann', 5), { timestamp: t0 + 60_000 });
    await bed.send(Orders, order('b', 'bob', 7), { timestamp: t0 });
    await bed.send(Payments, { orderId: 'b', amount: 7 }, { timestamp: t0 + 60_001 });
    await bed.drain();
    expect(bed.topic(Receipts).values()).toEqual([{ orderId: 'a', paid: 5 }]);
    await bed.stop();
  });
});

function order(id: string, customer: string, amount: number): Order {
  return { id, customer, quantity: 1, price: amount };
}
