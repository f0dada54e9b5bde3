import { DeadLetterHeaderNames } from '../../src';
import { TestBed } from '../../src/testing';
import { PurchasingService } from './purchasing-service';
import { ReorderRequests, StockMovements } from './topics';
import { WarehouseService } from './warehouse-service';

describe('quickstart: purchasing reacts to the warehouse', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([WarehouseService, PurchasingService]);
  });
  afterEach(() => bed.stop());

  it('asks to reorder once when a product falls below the threshold', async () => {
    const warehouse = bed.service(WarehouseService);
    await warehouse.record({ sku: 'boots', delta: 12, reason: 'delivery' });
    await warehouse.record({ sku: 'boots', delta: -5, reason: 'shipment' });
    await warehouse.record({ sku: 'boots', delta: -4, reason: 'shipment' });
    await warehouse.record({ sku: 'boots', delta: -1, reason: 'shipment' });
    await bed.drain();

    expect(bed.service(PurchasingService).level('boots')).toBe(2);
    expect(bed.topic(ReorderRequests).values()).toEqual([
      { sku: 'boots', quantity: 17, levelAtRequest: 3 },
    ]);
    expect(bed.topic(ReorderRequests).records()[0].envelope?.eventId).toMatch(
      /^purchasing-service-ReorderRequest-boots-v1-[0-9A-Z]{26}$/,
    );
  });

  it('dead-letters a malformed movement and keeps going', async () => {
    await bed.sendRaw(StockMovements, { key: 'hats', value: 'not json' });
    await bed.send(StockMovements, { sku: 'hats', delta: 3, reason: 'delivery' });
    await bed.drain();
    expect(bed.service(PurchasingService).level('hats')).toBe(3);
    expect(bed.deadLetters(StockMovements).records()[0].headers[DeadLetterHeaderNames.REASON]).toBe(
      'undecodable',
    );
  });
});
