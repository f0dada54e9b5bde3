import { TestBed } from '../../src/testing';
import { CustomersService } from './customers-service';
import { EmailService, PAYMENT_WINDOW_MS } from './email-service';
import type { Email } from './emailer';
import { ordersContainer } from './emailer';
import { PaymentsService } from './payments-service';
import { newOrder } from './test-support';
import { EnrichedOrdersByLevel, Orders, Payments } from './topics';

const customer = (id: number, level?: 'gold') => ({
  id,
  firstName: 'Ann',
  lastName: 'Lee',
  email: `c${id}@example.com`,
  address: '1 High St',
  ...(level === undefined ? {} : { level }),
});

describe('email service', () => {
  it('emails orders paid within a minute and routes enriched orders by level', async () => {
    const emails: Email[] = [];
    const container = ordersContainer({ send: (e) => Promise.resolve(void emails.push(e)) });
    const bed = await TestBed.start([CustomersService, PaymentsService, EmailService], {
      container,
    });
    await bed.service(CustomersService).register(customer(1));
    await bed.service(CustomersService).register(customer(2, 'gold'));
    await bed.drain();
    const t0 = bed.clock.now();
    await bed.send(Orders, newOrder('o1'), { timestamp: t0 });
    await bed.send(Orders, newOrder('o2', { customerId: 2 }), { timestamp: t0 });
    await bed.send(Orders, { ...newOrder('o1'), state: 'VALIDATED' }, { timestamp: t0 });
    const pay = (id: string, orderId: string, at: number) =>
      bed.send(Payments, { id, orderId, ccy: 'EUR', amount: 10 }, { timestamp: at });
    await pay('p1', 'o1', t0 + PAYMENT_WINDOW_MS); // within the minute
    await pay('p2', 'o2', t0 + PAYMENT_WINDOW_MS + 1); // too late: no email
    await bed.drain();
    expect(emails.map((e) => [e.to, e.order.id, e.payment.id])).toEqual([
      ['c1@example.com', 'o1', 'p1'],
    ]);
    expect(bed.topic(EnrichedOrdersByLevel.bronze).values()).toEqual([
      { id: 'o1', customerId: 1, customerLevel: 'bronze' },
    ]);
    expect(bed.topic(EnrichedOrdersByLevel.gold).values()).toEqual([
      { id: 'o2', customerId: 2, customerLevel: 'gold' },
    ]);
    await bed.stop();
  });
});
