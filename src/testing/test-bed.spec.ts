import { BillingService, Orders, OrdersService, Receipts } from '../../test/fixtures/shop';
import { TestBed } from './test-bed';

describe('TestBed', () => {
  let bed: TestBed;
  afterEach(() => bed?.stop());

  it('runs services on the memory transport until nothing is in flight', async () => {
    bed = await TestBed.start([OrdersService, BillingService]);
    await bed.service(OrdersService).place({ id: 'o-1', customer: 'ann', amount: 10 });
    await bed.send(Orders, { id: 'o-2', customer: 'bob', amount: -1 });
    await bed.drain();
    expect(bed.topic(Receipts).values()).toEqual([{ orderId: 'o-1', total: 12 }]);
    expect(bed.service(BillingService).seen.map((s) => s.id)).toEqual(['o-1']);
    const [receipt] = bed.topic(Receipts).records();
    expect(receipt.envelope?.eventId).toMatch(/^billing-service-Receipt-o-1-v1-[0-9A-Z]{26}$/);
    expect(receipt.envelope?.producer).toBe('billing-service');
  });
});
