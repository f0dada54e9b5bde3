import { randomBytes } from 'node:crypto';

import { kafkaBrokers } from '../../test/support/kafka-env';
import { registerTestTracing, type TestTracing } from '../../test/support/otel-sdk';
import { waitFor } from '../../test/support/wait-for';
import { postOrder, validatedState } from './journeys';
import { ORDER_TRACE_GROUPS, orderTrace } from './order-trace';
import type { OrdersOnKafka } from './run-orders-kafka';
import { makeAvailable, startOrdersOnKafka } from './run-orders-kafka';
import { CustomersService, EmailService } from './services';
import { newOrder } from './test-support';

describe('one order posted over HTTP is one trace across the services, on Kafka', () => {
  jest.setTimeout(90_000);
  let tracing: TestTracing | undefined;
  let system: OrdersOnKafka | undefined;

  afterEach(async () => {
    await system?.stop();
    await tracing?.stop();
  });

  it('carries the trace context in the record headers from service to service', async () => {
    tracing = registerTestTracing();
    const spans = tracing.spans;
    system = await startOrdersOnKafka(
      kafkaBrokers(),
      { send: () => Promise.resolve() },
      { tracing: { consumerSpans: 'child' } },
    );
    await makeAvailable(system.others, 'JUMPERS', 10);
    // A customer of its own, so the email service's view holds it before the order arrives.
    const customerId = (Math.floor(Date.now() / 1000) % 1_000_000) * 10 + 7;
    await system.others.service(CustomersService).register({
      id: customerId,
      firstName: 'Tracy',
      lastName: 'Spans',
      email: 'tracy@example.com',
      address: '1 Trace Lane',
    });
    const email = system.others.service(EmailService);
    await waitFor(() => email.customers.has(customerId), 'the customers view');

    const id = `trace-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const url = system.ordersApps[0].httpUrl as string;
    expect((await postOrder(url, newOrder(id, { customerId, quantity: 1 }))).status).toBe(201);
    expect(await validatedState(url, id, 30_000)).toEqual({ ok: true, state: 'VALIDATED' });
    // The VALIDATED order reaches the email service (which skips it) after the GET answered.
    await waitFor(
      () => orderTrace(spans(), id).groups.length >= ORDER_TRACE_GROUPS.length,
      'every service to process the order',
    );

    const trace = orderTrace(spans(), id);
    expect(trace.traces).toBe(1);
    expect(trace.roots).toEqual(['POST /v1/orders']);
    expect(trace.groups).toEqual(expect.arrayContaining(ORDER_TRACE_GROUPS));
  });
});
