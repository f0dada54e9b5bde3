import type { ReplicaDatabase } from '../../src';
import { pgliteDatabase } from '../../src/pglite';
import { TestBed } from '../../src/testing';
import { waitFor } from '../../test/support/wait-for';
import { OrderReadModelService, rowLine } from './order-read-model-service';
import { newOrder } from './test-support';
import { Orders } from './topics';

describe('order read model service (the orders table, on PGlite)', () => {
  jest.setTimeout(120_000);
  let bed: TestBed | undefined;
  let database: ReplicaDatabase | undefined;
  afterEach(async () => {
    await bed?.stop();
    await database?.close();
  });

  it('keeps the latest state of every order in the orders table', async () => {
    database = pgliteDatabase();
    bed = await TestBed.start([OrderReadModelService], {
      replicaDatabase: database,
      owners: { [Orders.name]: 'orders-service' },
    });
    const model = bed.app.service(OrderReadModelService);
    const decided = newOrder('o-1', { customerId: 7, quantity: 2, price: 12.5 });
    await bed.send(Orders, decided);
    await bed.send(Orders, newOrder('o-2', { product: undefined, quantity: -1 }));
    await bed.send(Orders, { ...decided, state: 'VALIDATED' });
    await bed.drain();
    const ends = bed.broker.requireTopic(Orders.name).partitions.map((p) => p.endOffset);
    await waitFor(() => model.holds(ends), 'the replica to store the end offsets of orders');

    const rows = await model.rowsOf(['o-1', 'o-2', 'o-3']);
    expect(rows.map(({ updated_at: _, ...row }) => row)).toEqual([
      { id: 'o-1', customer: 7, state: 'VALIDATED', product: 'JUMPERS', quantity: 2, price: 12.5 },
      { id: 'o-2', customer: 1, state: 'CREATED', product: null, quantity: -1, price: 10 },
    ]);
    // updated_at is the time of the order's latest record on `orders`.
    const latest = bed.topic(Orders).records().at(-1);
    expect(rows[0].updated_at).toEqual(new Date(latest?.timestamp ?? Number.NaN));
    expect(rows.map(rowLine)).toEqual([
      'o-1  VALIDATED  JUMPERS x2 @ 12.5  customer 7',
      'o-2  CREATED    (no product) x-1 @ 10  customer 1',
    ]);
    // Read-only for the service too: its reader runs every statement in a READ ONLY transaction.
    await expect(model.orders.query('DELETE FROM orders')).rejects.toThrow(/read-only/);
  });
});
