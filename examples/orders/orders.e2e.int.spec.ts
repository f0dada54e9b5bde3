import { randomBytes } from 'node:crypto';

import { postgresDatabase } from '../../src/postgres';
import { kafkaBrokers } from '../../test/support/kafka-env';
import { requiredPostgresUrl } from '../../test/support/postgres-env';
import { waitFor } from '../../test/support/wait-for';
import type { Order } from './domain';
import { demoCustomers, postOrder } from './journeys';
import { OrderReadModelService } from './order-read-model-service';
import type { DemoTransportFactory, OrdersOnKafka } from './run-orders-kafka';
import {
  demoKafkajsTransport,
  demoTransport,
  makeAvailable,
  startOrdersOnKafka,
} from './run-orders-kafka';
import { CustomersService, EmailService } from './services';
import { newOrder } from './test-support';

/** The same system on each Kafka client, and on each group protocol of the default one. */
const clients: [string, DemoTransportFactory][] = [
  ...(['classic', 'consumer'] as const).map((groupProtocol): [string, DemoTransportFactory] => [
    `@platformatic/kafka, ${groupProtocol} group protocol`,
    (brokers, security) => demoTransport(brokers, security, groupProtocol),
  ]),
  ['kafkajs', demoKafkajsTransport],
];

describe.each(clients)(
  'the orders system end to end on the real broker (%s), two orders instances',
  (client, transport) => {
    jest.setTimeout(60_000);

    // The topics outlive the run: order ids and customers are new each time (for each client too:
    // the blocks are set up within one second, and a customer's fraud session spans them), and
    // the stock is set above what earlier runs reserved (reservations are never released).
    const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const block = clients.findIndex(([name]) => name === client);
    const customerOffset =
      ((Math.floor(Date.now() / 1000) % 1_000_000) * clients.length + block) * 10 + 5;
    const customer = (n: number) => n + customerOffset;
    let system: OrdersOnKafka | undefined;
    // The read model's table, in the PostgreSQL server the integration tier requires.
    const database = postgresDatabase({ connectionString: requiredPostgresUrl() });

    beforeAll(async () => {
      system = await startOrdersOnKafka(
        kafkaBrokers(),
        { send: () => Promise.resolve() },
        { transport, replicaDatabase: database },
      );
      await makeAvailable(system.others, 'JUMPERS', 10);
      await makeAvailable(system.others, 'UNDERPANTS', 5);
      const customers = demoCustomers(customerOffset);
      for (const c of customers) await system.others.service(CustomersService).register(c);
      const email = system.others.service(EmailService);
      await waitFor(() => customers.every((c) => email.customers.has(c.id)), 'the customers view');
    }, 120_000);
    afterAll(async () => {
      await system?.stop();
      await database.close();
    });

    /** Asks both instances; each answers the order (one of them by forwarding the GET). */
    async function finalStates(id: string): Promise<string[]> {
      const apps = system?.ordersApps ?? [];
      return Promise.all(
        apps.map(async (app) => {
          const answer = await fetch(
            `${app.httpUrl as string}/v1/orders/${id}/validated?timeout=20000`,
          );
          expect(answer.status).toBe(200);
          return ((await answer.json()) as Order).state;
        }),
      );
    }

    it('validates an all-pass order, fails the fraud and negative-quantity ones, and the read model ends with their final states', async () => {
      const [first, second] = system?.ordersApps ?? [];
      const orders = {
        small: newOrder(`small-${run}`, { customerId: customer(1), quantity: 2, price: 25 }),
        big: newOrder(`big-${run}`, { customerId: customer(2), quantity: 4, price: 500 }), // 2000
        bad: newOrder(`bad-${run}`, {
          customerId: customer(3),
          product: 'UNDERPANTS',
          quantity: -1,
          price: -5,
        }),
      };
      for (const [i, o] of Object.values(orders).entries()) {
        const posted = await postOrder([first, second][i % 2]?.httpUrl as string, o);
        expect(posted.status).toBe(201);
        expect(posted.headers.get('location')).toBe(`/v1/orders/${o.id}`);
      }
      // The partition owners differ per key; at least one of the six GETs below is forwarded.
      const owners = Object.values(orders).map((o) => system?.ownerOf(o.id));
      expect(
        owners.every((owner) => owner === first?.instanceId || owner === second?.instanceId),
      ).toBe(true);

      expect(await finalStates(orders.small.id)).toEqual(['VALIDATED', 'VALIDATED']);
      expect(await finalStates(orders.big.id)).toEqual(['FAILED', 'FAILED']);
      expect(await finalStates(orders.bad.id)).toEqual(['FAILED', 'FAILED']);

      // The read model's orders table ends with every order in its final state.
      const model = system?.others.service(OrderReadModelService);
      const ids = Object.values(orders).map((o) => o.id);
      const expected = [
        { ...orders.small, state: 'VALIDATED' },
        { ...orders.big, state: 'FAILED' },
        { ...orders.bad, state: 'FAILED' },
      ]
        .map((o) => ({
          id: o.id,
          customer: o.customerId,
          state: o.state,
          product: o.product ?? null,
          quantity: o.quantity,
          price: o.price,
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
      const rows = async () =>
        ((await model?.rowsOf(ids)) ?? []).map(({ updated_at: _, ...row }) => row);
      await waitFor(
        async () => JSON.stringify(await rows()) === JSON.stringify(expected),
        'the orders table to hold the final states',
      );
      expect(await rows()).toEqual(expected);
    });
  },
);
