import { inject } from 'inversify';

import type { EventContext, JoinResult, JoinStore, ReadOnlyTable } from '../../src';
import {
  EventHandler,
  Materialize,
  OwnsTopic,
  Service,
  StreamService,
  WindowedJoin,
} from '../../src';
import type { Customer, Order, Payment } from './domain';
import { DEFAULT_LEVEL } from './domain';
import type { Emailer } from './emailer';
import { EMAILER } from './emailer';
import { Customers, EmailPaymentsByOrder, EnrichedOrdersByLevel, Orders, Payments } from './topics';

export const PAYMENT_WINDOW_MS = 60_000;

interface Paid {
  order: Order;
  payment: Payment;
}

const ENRICHED_TOPICS = Object.values(EnrichedOrdersByLevel);

/**
 * Emails a customer when a CREATED order and its payment arrive within a minute of each other,
 * and routes every CREATED order, enriched with the customer's level, to that level's topic.
 * Only CREATED orders: a VALIDATED/FAILED re-publication must not send a second email.
 */
@Service('email-service')
@OwnsTopic(EmailPaymentsByOrder, ...ENRICHED_TOPICS)
export class EmailService extends StreamService {
  @Materialize(Customers)
  readonly customers!: ReadOnlyTable<number, Customer>;

  @WindowedJoin<string, Order, Payment, Paid>('order-payments', {
    withinMs: PAYMENT_WINDOW_MS,
    join: (order, payment) => ({ order, payment }),
  })
  readonly paid!: JoinStore<string, Order, Payment, Paid>;

  constructor(@inject(EMAILER) private readonly emailer: Emailer) {
    super();
  }

  @EventHandler(Orders, { when: (o) => o.state === 'CREATED' })
  async onOrder(order: Order, ctx: EventContext): Promise<void> {
    await this.email(this.paid.addLeft(order.id, order, ctx.timestamp), ctx);
    const customer = this.customers.get(order.customerId);
    if (customer === undefined) return; // an inner join, as a KStream–GlobalKTable join
    const customerLevel = customer.level ?? DEFAULT_LEVEL;
    await this.publish(EnrichedOrdersByLevel[customerLevel], {
      id: order.id,
      customerId: order.customerId,
      customerLevel,
    });
  }

  /** Payments are keyed by payment id; the join needs them by order id, in our own topic. */
  @EventHandler(Payments)
  async rekey(payment: Payment, ctx: EventContext): Promise<void> {
    await this.publish(EmailPaymentsByOrder, payment, { timestamp: ctx.timestamp });
  }

  @EventHandler(EmailPaymentsByOrder)
  async onPayment(payment: Payment, ctx: EventContext): Promise<void> {
    await this.email(this.paid.addRight(payment.orderId, payment, ctx.timestamp), ctx);
  }

  private async email(pairs: JoinResult<string, Paid>[], ctx: EventContext): Promise<void> {
    for (const { value } of pairs) {
      const customer = this.customers.get(value.order.customerId);
      if (customer === undefined) {
        ctx.logger.warn('no customer for a paid order: no email', { orderId: value.order.id });
        continue;
      }
      await this.emailer.send({ to: customer.email, customer, ...value });
    }
  }
}
