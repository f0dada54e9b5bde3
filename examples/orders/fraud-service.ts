import type { EventContext, WindowedStore } from '../../src';
import { EventHandler, OwnsTopic, Service, session, StreamService, Windowed } from '../../src';
import type { Order } from './domain';
import { validation } from './domain';
import { FraudOrdersByCustomer, FraudValidations, Orders } from './topics';

export const FRAUD_LIMIT = 2000;
export const FRAUD_SESSION_GAP_MS = 60 * 60_000;

/**
 * Per customer, the total of quantity × price in a session with a 1-hour inactivity gap. Orders
 * are re-keyed by customer first, so one customer's orders are checked in order on one partition.
 */
@Service('fraud-service')
@OwnsTopic(FraudOrdersByCustomer, FraudValidations)
export class FraudService extends StreamService {
  @Windowed<number, Order, number>('customer-totals', {
    window: session(FRAUD_SESSION_GAP_MS, { graceMs: 60_000 }),
    initial: () => 0,
    aggregate: (total, order) => total + order.quantity * order.price,
    merge: (a, b) => a + b,
    emit: 'update',
  })
  readonly totals!: WindowedStore<number, Order, number>;

  @EventHandler(Orders, { when: (o) => o.state === 'CREATED' })
  async rekey(order: Order, ctx: EventContext): Promise<void> {
    // Keep the order's event time: the session windows run on it, not on when it was re-keyed.
    await this.publish(FraudOrdersByCustomer, order, { timestamp: ctx.timestamp });
  }

  @EventHandler(FraudOrdersByCustomer)
  async check(order: Order, ctx: EventContext): Promise<void> {
    // Session windows: exactly one result, the session the order is now part of.
    const [current] = this.totals.add(order.customerId, order, ctx.timestamp);
    const total = current?.aggregate ?? 0;
    await this.publish(FraudValidations, validation(order.id, 'FRAUD_CHECK', total < FRAUD_LIMIT));
  }
}
