import { SilentLogger, StreamwiseApp } from '../../src';
import { MemoryBroker, MemoryTransport } from '../../src/testing';
import { registerTestTracing, type TestTracing } from '../../test/support/otel-sdk';
import { ordersContainer } from './emailer';
import { demoCustomers, postOrder, validatedState } from './journeys';
import { ORDER_TRACE_GROUPS, orderTrace } from './order-trace';
import { CustomersService, ORDER_SERVICES, WarehouseService } from './services';
import { newOrder } from './test-support';

describe('one order posted over HTTP is one trace across the services', () => {
  let tracing: TestTracing | undefined;
  let app: StreamwiseApp | undefined;

  afterEach(async () => {
    await app?.stop();
    await tracing?.stop();
  });

  it('on the memory transport, with consumer spans as children of the producer spans', async () => {
    tracing = registerTestTracing();
    const broker = new MemoryBroker();
    app = await StreamwiseApp.create({
      services: ORDER_SERVICES,
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      container: ordersContainer({ send: () => Promise.resolve() }),
      tracing: { consumerSpans: 'child' },
    }).start();
    await app.service(WarehouseService).setStock({ product: 'JUMPERS', quantity: 10 });
    for (const customer of demoCustomers()) await app.service(CustomersService).register(customer);
    await broker.settled();

    const url = app.httpUrl as string;
    expect((await postOrder(url, newOrder('t1', { quantity: 2, price: 25 }))).status).toBe(201);
    expect(await validatedState(url, 't1', 20_000)).toEqual({ ok: true, state: 'VALIDATED' });
    await broker.settled();

    const trace = orderTrace(tracing.spans(), 't1');
    expect(trace.traces).toBe(1);
    expect(trace.roots).toEqual(['POST /v1/orders']);
    expect(trace.groups).toEqual(expect.arrayContaining(ORDER_TRACE_GROUPS));
    // CREATED by the POST, VALIDATED by the aggregator: both in the trace.
    expect(trace.sends.filter((name) => name === 'send orders')).toHaveLength(2);
  });
});
