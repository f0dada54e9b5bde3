import { TestBed } from '../../src/testing';
import { CustomersService } from './customers-service';
import { PaymentsService } from './payments-service';
import { Customers, Payments, WarehouseInventory } from './topics';
import { WarehouseService } from './warehouse-service';

describe('the upstream single writers', () => {
  it('publish stock, payments and customers under their own names', async () => {
    const bed = await TestBed.start([WarehouseService, PaymentsService, CustomersService]);
    await bed.service(WarehouseService).setStock({ product: 'JUMPERS', quantity: 3 });
    await bed.service(PaymentsService).pay({ id: 'p1', orderId: 'o1', ccy: 'EUR', amount: 2 });
    await bed.service(CustomersService).register({
      id: 7,
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann@example.com',
      address: '1 High St',
    });
    await bed.drain();
    expect(bed.topic(WarehouseInventory).records()[0].key).toBe('JUMPERS');
    expect(bed.topic(Payments).records()[0].envelope?.producer).toBe('payments-service');
    expect(bed.topic(Customers).records()[0].key).toBe(7);
    await bed.stop();
  });
});
