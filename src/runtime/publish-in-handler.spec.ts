import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import type { EventContext } from '../model/service/event-context';
import { TestBed } from '../testing/test-bed';
import { StreamService } from './stream-service';

interface Order {
  id: string;
  failAttempts: number;
  flush?: boolean;
}
const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Shipped = defineTopic<Order>({ name: 'shipped', entity: 'Shipped', key: (o) => o.id });
const Audited = defineTopic<Order>({ name: 'audited', entity: 'Audited', key: (o) => o.id });

@Service('order-source')
@OwnsTopic(Orders)
class OrderSource extends StreamService {}

/** What the output topics held at points inside the handler, to show when publishes land. */
const seen: { attempt: number; when: string; shipped: number; audited: number }[] = [];
let bed: TestBed;

function look(attempt: number, when: string): void {
  seen.push({
    attempt,
    when,
    shipped: bed.topic(Shipped).records().length,
    audited: bed.topic(Audited).records().length,
  });
}

@Service('shipper', { retry: { attempts: 3, initialDelayMs: 10 } })
@OwnsTopic(Shipped)
@OwnsTopic(Audited)
class Shipper extends StreamService {
  @EventHandler(Orders)
  async ship(order: Order, ctx: EventContext): Promise<void> {
    await this.publish(Audited, order);
    look(ctx.attempt, 'after audit');
    await this.publish(Shipped, order, { flush: order.flush === true });
    look(ctx.attempt, 'after ship');
    if (ctx.attempt <= order.failAttempts) throw new Error(`attempt ${ctx.attempt} fails`);
  }
}

describe('publishes inside a handler', () => {
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(() => bed.stop());

  it('reach the output only when the attempt succeeds: a failed attempt leaves no duplicate', async () => {
    bed = await TestBed.start([OrderSource, Shipper]);
    await bed.send(Orders, { id: 'o1', failAttempts: 2 });
    await bed.drain();

    expect(bed.topic(Shipped).values()).toEqual([{ id: 'o1', failAttempts: 2 }]);
    expect(bed.topic(Audited).values()).toEqual([{ id: 'o1', failAttempts: 2 }]);
    expect(bed.deadLetters(Orders).records()).toHaveLength(0);
    // Inside the attempt, nothing was written yet: the attempt's publishes wait for its end.
    expect(seen.every((s) => s.shipped === 0 && s.audited === 0)).toBe(true);
  });

  it('of an attempt that ends in the dead-letter topic are discarded', async () => {
    bed = await TestBed.start([OrderSource, Shipper]);
    await bed.send(Orders, { id: 'o2', failAttempts: 99 });
    await bed.drain();

    expect(bed.topic(Shipped).records()).toHaveLength(0);
    expect(bed.topic(Audited).records()).toHaveLength(0);
    expect(bed.deadLetters(Orders).records()).toHaveLength(1);
  });

  it('with flush: true are written, with what the attempt buffered before, when publish resolves', async () => {
    bed = await TestBed.start([OrderSource, Shipper]);
    await bed.send(Orders, { id: 'o3', failAttempts: 0, flush: true });
    await bed.drain();

    expect(seen).toEqual([
      { attempt: 1, when: 'after audit', shipped: 0, audited: 0 },
      { attempt: 1, when: 'after ship', shipped: 1, audited: 1 },
    ]);
    expect(bed.topic(Shipped).records()).toHaveLength(1);
    expect(bed.topic(Audited).records()).toHaveLength(1);
  });
});
