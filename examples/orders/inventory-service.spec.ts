import { TestBed } from '../../src/testing';
import { InventoryService } from './inventory-service';
import { newOrder } from './test-support';
import { InventoryValidations, Orders } from './topics';
import { WarehouseService } from './warehouse-service';

describe('inventory service', () => {
  it('reserves while stock lasts, never releases, and answers nothing without a record', async () => {
    const bed = await TestBed.start([WarehouseService, InventoryService]);
    await bed.service(WarehouseService).setStock({ product: 'JUMPERS', quantity: 10 });
    await bed.drain();
    for (const [id, quantity] of [
      ['a', 6],
      ['b', 5], // 10 - 6 - 5 < 0: FAIL, nothing reserved
      ['c', 4], // 10 - 6 - 4 = 0: PASS
      ['d', 0], // nothing left, but 0 still fits
    ] as const)
      await bed.send(Orders, newOrder(id, { quantity }));
    await bed.send(Orders, newOrder('socks', { product: 'STOCKINGS' })); // no warehouse record
    await bed.send(Orders, { ...newOrder('e'), state: 'FAILED' }); // not CREATED: ignored
    await bed.drain();
    expect(
      bed
        .topic(InventoryValidations)
        .values()
        .map((v) => `${v.orderId}:${v.validationResult}`)
        .sort(), // results are keyed by order id, so spread over partitions
    ).toEqual(['a:PASS', 'b:FAIL', 'c:PASS', 'd:PASS']);
    expect(bed.service(InventoryService).reserved.get('JUMPERS')).toBe(10);
    expect(bed.topic('inventory-service-reserved-changelog').values()).toEqual([6, 10, 10]);
    await bed.stop();
  });
});
