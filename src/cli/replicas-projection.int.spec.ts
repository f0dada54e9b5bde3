import { brokerCli } from '../../test/support/broker-cli';
import {
  ExpectedSummaries,
  type SummaryOrder,
  type SummaryPayment,
  summaryRecord,
} from '../../test/support/order-summary-projection';
import { requiredPostgresUrl, uniqueTable } from '../../test/support/postgres-env';
import { openReplicaFixture } from '../../test/support/replica-fixture';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { SilentLogger } from '../logging/silent-logger';

const MODULE = 'test/fixtures/projection-services.ts';
const ORDERS = 40;

/** `streamwise replicas rebuild` of a projection of two topics, on the real broker and PostgreSQL. */
describe('streamwise replicas rebuild of a projection', () => {
  jest.setTimeout(120_000);
  const teardown = teardownAfterEach();
  const { output, run } = brokerCli();

  it('folds every input from its start into a new version that equals the live table, and the live projection goes on writing it', async () => {
    const names = {
      orders: uniqueName('cli-orders'),
      payments: uniqueName('cli-payments'),
      table: uniqueTable('cli_summaries'),
      service: uniqueName('summaries'),
    };
    process.env.PROJECTION_FIXTURE_ORDERS = names.orders;
    process.env.PROJECTION_FIXTURE_PAYMENTS = names.payments;
    process.env.PROJECTION_FIXTURE_TABLE = names.table;
    process.env.PROJECTION_FIXTURE_SERVICE = names.service;
    const { OrderSummaries } = await import('../../test/fixtures/projection-services');
    const url = requiredPostgresUrl();
    const { database, kafka, client } = await openReplicaFixture(teardown, {
      url,
      table: names.table,
      topics: [
        { name: names.orders, partitions: 3, compacted: false },
        { name: names.payments, partitions: 3, compacted: false },
      ],
    });

    const expected = new ExpectedSummaries();
    const orders: SummaryOrder[] = Array.from({ length: ORDERS }, (_, i) => ({
      id: `o-${i}`,
      customer: `c-${i % 7}`,
      state: i % 3 === 0 ? 'PAID' : 'CREATED',
    }));
    const payments: SummaryPayment[] = orders.flatMap((order, i) => [
      { orderId: order.id, amount: 10 + i },
      { orderId: order.id, amount: 1 },
    ]);
    for (const order of orders) expected.order(order.id, order);
    for (const payment of payments) expected.payment(payment);
    await client.produce(
      names.orders,
      orders.map((order) => summaryRecord(order.id, order)),
    );
    await client.produce(
      names.payments,
      payments.map((payment) => summaryRecord(payment.orderId, payment)),
    );

    const app = StreamwiseApp.create({
      services: [OrderSummaries],
      transport: kafka(),
      logger: new SilentLogger(),
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    await app.start();
    const reader = app.service(OrderSummaries).summaries;
    const rows = async () =>
      (await reader.all()).sort((a, b) => a.order_id.localeCompare(b.order_id));
    await waitFor(
      async () => JSON.stringify(await rows()) === JSON.stringify(expected.rows()),
      'the live projection to hold every order and payment',
    );

    expect(
      await run(
        'replicas',
        'rebuild',
        MODULE,
        names.service,
        names.table,
        '--database',
        url,
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(output.out.join('\n'))).toMatchObject({
      table: names.table,
      previous: { version: 1, table: `${names.table}_v1` },
      current: { version: 2, table: `${names.table}_v2`, resumed: false },
      records: orders.length + payments.length,
      skipped: 0,
    });
    // Readers see v2 now: folded again from both topics' starts, it equals the live v1.
    expect(await rows()).toEqual(expected.rows());

    // The live projection writes v2 from its positions there: one more payment lands once.
    const late = { orderId: 'o-0', amount: 5 };
    expected.payment(late);
    await client.produce(names.payments, [summaryRecord(late.orderId, late)]);
    await waitFor(async () => (await reader.get('o-0'))?.payments === 3, 'the late payment in v2');
    expect(await rows()).toEqual(expected.rows());
  });
});
