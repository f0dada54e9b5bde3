import { randomBytes } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';

import type { Order } from '../../examples/orders/domain';
import { demoCustomers, postOrder } from '../../examples/orders/journeys';
import {
  CustomersService,
  EmailService,
  InventoryService,
  WarehouseService,
} from '../../examples/orders/services';
import { newOrder } from '../../examples/orders/test-support';
import type { ServiceClass } from '../../src';
import { KafkaAuthorizationError } from '../../src/errors/kafka-authorization-error';
import { UnknownTopicError } from '../../src/errors/unknown-topic-error';
import { adminLogin, securedBrokers } from '../support/secured-env';
import type { SecuredOrders } from '../support/secured-orders';
import {
  aclsOf,
  AT_LEAST_ONCE,
  EXACTLY_ONCE,
  grantExactly,
  startSecuredOrders,
} from '../support/secured-orders';
import { waitFor } from '../support/wait-for';

/**
 * The orders system on a broker that allows nothing without an ACL: each service logs in as its
 * own user and holds exactly the ACLs `streamwise acls` prints for it, nothing more.
 */
describe.each([
  ['at-least-once', AT_LEAST_ONCE],
  ['exactly-once', EXACTLY_ONCE],
] as const)(
  'the orders system %s, one principal per service, under the generated ACLs',
  (_mode, services: readonly ServiceClass[]) => {
    jest.setTimeout(90_000);
    const brokers = securedBrokers();
    const admin = new Kafka({
      clientId: 'secured-orders-admin',
      brokers,
      sasl: adminLogin(),
      logLevel: logLevel.NOTHING,
    }).admin();
    // Topics, stores and fraud sessions outlive a run: ids and customers are new every time.
    const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const customerOffset = (Math.floor(Date.now() / 1000) % 1_000_000) * 10 + 7;
    let system: SecuredOrders | undefined;

    beforeAll(async () => {
      await admin.connect();
      await grantExactly(admin, aclsOf(services));
      system = await startSecuredOrders(brokers, services);
      const inventory = system.app('inventory-service').service(InventoryService);
      for (const [product, available] of [
        ['JUMPERS', 10],
        ['UNDERPANTS', 5],
      ] as const) {
        // Rejected negative orders reserve negative amounts (examples/orders): never below 0.
        const quantity = Math.max(0, (inventory.reserved.get(product) ?? 0) + available);
        await system
          .app('warehouse-service')
          .service(WarehouseService)
          .setStock({ product, quantity });
        await waitFor(
          () => inventory.stock.get(product)?.quantity === quantity,
          `stock of ${product}`,
        );
      }
      const customers = demoCustomers(customerOffset);
      const registry = system.app('customers-service').service(CustomersService);
      for (const customer of customers) await registry.register(customer);
      const email = system.app('email-service').service(EmailService);
      await waitFor(() => customers.every((c) => email.customers.has(c.id)), 'the customers view');
    }, 120_000);

    afterAll(async () => {
      await system?.stop();
      await admin.disconnect();
    });

    it('validates an all-pass order and fails the fraud and negative-quantity ones', async () => {
      const url = system?.app('orders-service').httpUrl as string;
      const orders = [
        newOrder(`small-${run}`, { customerId: customerOffset + 1, quantity: 2, price: 25 }),
        newOrder(`big-${run}`, { customerId: customerOffset + 2, quantity: 4, price: 500 }),
        newOrder(`bad-${run}`, {
          customerId: customerOffset + 3,
          product: 'UNDERPANTS',
          quantity: -1,
          price: -5,
        }),
      ];
      for (const order of orders) expect((await postOrder(url, order)).status).toBe(201);
      const states = await Promise.all(
        orders.map(async (order) => {
          const answer = await fetch(`${url}/v1/orders/${order.id}/validated?timeout=30000`);
          expect(answer.status).toBe(200);
          return ((await answer.json()) as Order).state;
        }),
      );
      expect(states).toEqual(['VALIDATED', 'FAILED', 'FAILED']);
    });

    it('lets the broker refuse a service writing a topic it reads but does not own, naming the principal', async () => {
      // The email service reads orders (READ, DESCRIBE), so it sees the topic, but only the
      // orders service holds WRITE on it: the broker itself refuses the forged record.
      const email = system?.app('email-service');
      const refused = email?.transport.produce('orders', [
        { key: Buffer.from(`forged-${run}`), value: Buffer.from('{}'), partition: 0 },
      ]);
      await expect(refused).rejects.toBeInstanceOf(KafkaAuthorizationError);
      await expect(refused).rejects.toMatchObject({
        kafkaErrorType: 'TOPIC_AUTHORIZATION_FAILED',
        principal: 'User:email-service',
        operation: 'WRITE',
        resource: 'topic "orders"',
      });
      await expect(refused).rejects.toThrow(/User:email-service lacks WRITE on topic "orders"/);
      await expect(refused).rejects.toThrow(/streamwise acls/);
    });

    it('says that a topic a service may not even describe can look missing', async () => {
      // The payments service has no ACL on orders at all: to it, the topic does not exist.
      const payments = system?.app('payments-service');
      const hidden = payments?.transport.produce('orders', [
        { key: Buffer.from(`forged-${run}`), value: Buffer.from('{}'), partition: 0 },
      ]);
      await expect(hidden).rejects.toBeInstanceOf(UnknownTopicError);
      await expect(hidden).rejects.toThrow(/User:payments-service.*DESCRIBE/);
    });
  },
);
