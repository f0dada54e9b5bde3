import { TestBed } from '../../src/testing';
import { OrderDetailsService } from './order-details-service';
import { newOrder } from './test-support';
import { DetailsValidations, Orders } from './topics';

describe('order details service', () => {
  it('fails negative amounts and a missing product, passes zero, ignores non-CREATED orders', async () => {
    const bed = await TestBed.start([OrderDetailsService]);
    await bed.send(Orders, newOrder('zero', { quantity: 0, price: 0 }));
    await bed.send(Orders, newOrder('neg-q', { quantity: -1 }));
    await bed.send(Orders, newOrder('neg-p', { price: -0.01 }));
    await bed.send(Orders, { ...newOrder('none'), product: undefined });
    await bed.send(Orders, { ...newOrder('zero'), state: 'VALIDATED' });
    await bed.drain();
    expect(
      bed
        .topic(DetailsValidations)
        .values()
        .map((v) => [v.orderId, v.checkType, v.validationResult]),
    ).toEqual([
      ['zero', 'ORDER_DETAILS_CHECK', 'PASS'],
      ['neg-q', 'ORDER_DETAILS_CHECK', 'FAIL'],
      ['neg-p', 'ORDER_DETAILS_CHECK', 'FAIL'],
      ['none', 'ORDER_DETAILS_CHECK', 'FAIL'],
    ]);
    await bed.stop();
  });

  it('continues from the committed offset after a restart: no order is validated twice', async () => {
    const bed = await TestBed.start([OrderDetailsService]);
    await bed.send(Orders, newOrder('before-1'));
    await bed.send(Orders, newOrder('before-2'));
    await bed.drain();
    await bed.app.stop();
    await bed.send(Orders, newOrder('while-down'));
    await bed.startInstance([OrderDetailsService]);
    await bed.drain();
    expect(
      bed
        .topic(DetailsValidations)
        .values()
        .map((v) => v.orderId),
    ).toEqual(['before-1', 'before-2', 'while-down']);
    await bed.stop();
  });
});
