import { TestBed } from '../../src/testing';
import type { Order } from './domain';
import { FRAUD_SESSION_GAP_MS, FraudService } from './fraud-service';
import { newOrder } from './test-support';
import { FraudValidations, Orders } from './topics';

const MINUTE = 60_000;

describe('fraud service', () => {
  it('sums a customer’s session (current order included) and fails from 2000 on', async () => {
    const bed = await TestBed.start([FraudService]);
    const t0 = bed.clock.now();
    const at = (timestamp: number) => ({ timestamp });
    // Orders arrive over time: each is re-keyed by customer before the next one is placed (orders
    // placed at once on different partitions could be re-keyed in any order, and a session window
    // only tolerates disorder within its grace period).
    const place = async (...args: Parameters<typeof bed.send<Order, string>>) => {
      await bed.send(...args);
      await bed.drain();
    };
    await place(Orders, newOrder('o1', { quantity: 10, price: 100 }), at(t0));
    await place(Orders, newOrder('o2', { customerId: 2, quantity: 15, price: 100 }), at(t0));
    await place(Orders, newOrder('o3', { quantity: 9, price: 100 }), at(t0 + 59 * MINUTE));
    await place(Orders, newOrder('o4', { quantity: 1, price: 100 }), at(t0 + 60 * MINUTE));
    const idle = t0 + 60 * MINUTE + FRAUD_SESSION_GAP_MS + 1; // a new session
    await place(Orders, newOrder('o5', { quantity: 19, price: 100 }), at(idle));
    await place(Orders, { ...newOrder('o6', { quantity: 99, price: 99 }), state: 'FAILED' });
    await bed.drain();
    expect(
      bed
        .topic(FraudValidations)
        .values()
        .map((v) => `${v.orderId}:${v.validationResult}`),
    ).toEqual(['o1:PASS', 'o2:PASS', 'o3:PASS', 'o4:FAIL', 'o5:PASS']);
    await bed.stop();
  });
});
