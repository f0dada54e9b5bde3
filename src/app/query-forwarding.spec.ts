import { SpanKind } from '@opentelemetry/api';

import { registerTestTracing, type TestTracing } from '../../test/support/otel-sdk';
import { orderIds, Orders, OrdersService } from '../../test/support/routed-orders';
import { waitFor } from '../../test/support/wait-for';
import { TestBed } from '../testing/test-bed';
import { partitionForKey } from '../transport/partitioner';
import type { StreamwiseApp } from './streamwise-app';

const ids = orderIds;

describe('key-routed queries across instances', () => {
  let bed: TestBed;
  let tracing: TestTracing | undefined;
  afterEach(async () => {
    await bed.stop();
    await tracing?.stop();
    tracing = undefined;
  });

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

  it("continues the trace on the holder: its server span is the forwarding instance's child", async () => {
    tracing = registerTestTracing();
    bed = await TestBed.start([OrdersService]);
    const second = await bed.startInstance([OrdersService]);
    for (const id of ids) await bed.send(Orders, { id, state: 'CREATED' });
    await bed.drain();
    await waitFor(() => ids.every((id) => ownerKnown(second, id)), 'the partition owners');
    const elsewhere = ids.find((id) => !second.service(OrdersService).orders.has(id));
    expect(elsewhere).toBeDefined();

    const response = await fetch(`${second.httpUrl as string}/orders/${elsewhere as string}`);
    expect(response.status).toBe(200);
    const servers = (): ReturnType<TestTracing['spans']> =>
      (tracing as TestTracing)
        .spans()
        .filter((s) => s.kind === SpanKind.SERVER && s.name === 'GET /orders/:id');
    await waitFor(() => servers().length === 2, 'both server spans');
    const forwarder = servers().find((s) => s.parentSpanContext === undefined);
    const holder = servers().find((s) => s.parentSpanContext !== undefined);
    expect(holder?.spanContext().traceId).toBe(forwarder?.spanContext().traceId);
    expect(holder?.parentSpanContext?.spanId).toBe(forwarder?.spanContext().spanId);
  });
});

function ownerKnown(app: StreamwiseApp, id: string): boolean {
  const partition = partitionForKey(Buffer.from(id), 4);
  return app.partitionHolder('orders-service', 'orders', partition) !== undefined;
}
