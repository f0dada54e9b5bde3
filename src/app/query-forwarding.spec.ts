import { orderIds, Orders, OrdersService } from '../../test/support/routed-orders';
import { waitFor } from '../../test/support/wait-for';
import { TestBed } from '../testing/test-bed';
import { partitionForKey } from '../transport/partitioner';
import type { StreamwiseApp } from './streamwise-app';

const ids = orderIds;

describe('key-routed queries across instances', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('answers the same from either instance: the one without the partition forwards', async () => {
    bed = await TestBed.start([OrdersService]);
    const second = await bed.startInstance([OrdersService]);
    for (const id of ids) await bed.send(Orders, { id, state: 'CREATED' });
    await bed.drain();
    const instances: StreamwiseApp[] = [bed.app, second];
    // Both instances hold some partitions, and each has seen the other's claim.
    await waitFor(
      () => ids.every((id) => instances.every((app) => ownerKnown(app, id))),
      'every instance to know every partition owner',
    );

    let forwarded = 0;
    for (const id of ids) {
      for (const app of instances) {
        const response = await fetch(`${app.httpUrl as string}/orders/${id}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ id, state: 'CREATED' });
        if (!app.service(OrdersService).orders.has(id)) forwarded++;
      }
    }
    expect(forwarded).toBe(ids.length);
  });
});

function ownerKnown(app: StreamwiseApp, id: string): boolean {
  const partition = partitionForKey(Buffer.from(id), 4);
  return app.partitionHolder('orders-service', 'orders', partition) !== undefined;
}
