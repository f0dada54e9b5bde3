import { randomBytes } from 'node:crypto';

import type { ReplicaDatabase, StreamwiseAppOptions, Transport } from '../../src';
import { partitionForKey, SilentLogger, StreamwiseApp } from '../../src';
import { KafkaTransport } from '../../src/kafka';
import {
  type PlatformaticGroupProtocol,
  PlatformaticKafkaTransport,
  type PlatformaticKafkaTransportOptions,
} from '../../src/platformatic-kafka';
import { demoDatabase } from './demo-database';
import type { Order, Product } from './domain';
import type { Emailer } from './emailer';
import { ordersContainer } from './emailer';
import {
  demoCustomers,
  journeyLine,
  postLine,
  postOrder,
  tapJourneys,
  validatedState,
} from './journeys';
import { OrderReadModelService, rowLine, untilHolds } from './order-read-model-service';
import { DEMO_ORDERS } from './run-orders';
import {
  CustomersService,
  EmailService,
  InventoryService,
  ORDER_SERVICES,
  Orders,
  OrdersService,
  PARTITIONS,
  PaymentsService,
  WarehouseService,
} from './services';

export interface RunOrdersOnKafkaOptions {
  /** Bootstrap brokers, e.g. ['127.0.0.1:9092']. */
  readonly brokers: readonly string[];
  /** The orders to post (default: DEMO_ORDERS); their ids get a suffix unique to the run. */
  readonly orders?: readonly Order[];
  /** TLS and a login for a secured broker (every service logs in as this one user). */
  readonly security?: DemoSecurity;
}

/** What a client.properties gives a transport besides the brokers (see `cliSecurity`). */
export type DemoSecurity = Pick<PlatformaticKafkaTransportOptions, 'ssl' | 'sasl'>;

/** The orders system on Kafka: two instances of the orders service, one app with the others. */
export interface OrdersOnKafka {
  /** The two orders-service instances, each with its own HTTP server. */
  readonly ordersApps: readonly [StreamwiseApp, StreamwiseApp];
  /** Every other service of ORDER_SERVICES (and the read model, given a database), in one app. */
  readonly others: StreamwiseApp;
  /** The instance that holds `id`'s partition of `orders`, as `asked` sees the claims. */
  ownerOf(id: string, asked?: StreamwiseApp): string | undefined;
  /** Stops every app (the orders instances, then the rest). */
  stop(): Promise<void>;
}

const ORDERS_SERVICE = 'orders-service';
const OTHER_SERVICES = ORDER_SERVICES.filter((s) => s !== OrdersService);

/** Resolves once `condition` holds or `timeoutMs` passed; answers whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Makes each app's transport: demoTransport unless a test picks another client. */
export type DemoTransportFactory = (
  brokers: readonly string[],
  security: DemoSecurity | undefined,
) => Transport;

/** What the demo's transports share: quiet, and quick to notice new records. */
function demoOptions(brokers: readonly string[], security: DemoSecurity) {
  return { brokers, ...security, logger: new SilentLogger(), consumer: { maxWaitTimeMs: 100 } };
}

/**
 * The demo's transport: the default client, @platformatic/kafka (README, "Which to choose"), with
 * the classic group protocol unless told.
 */
export function demoTransport(
  brokers: readonly string[],
  security: DemoSecurity = {},
  groupProtocol: PlatformaticGroupProtocol = 'classic',
): PlatformaticKafkaTransport {
  return new PlatformaticKafkaTransport({ ...demoOptions(brokers, security), groupProtocol });
}

/** The same demo on the other client, kafkajs (KafkaTransport). */
export function demoKafkajsTransport(
  brokers: readonly string[],
  security: DemoSecurity = {},
): KafkaTransport {
  return new KafkaTransport(demoOptions(brokers, security));
}

/**
 * Starts the orders system on Kafka and waits until both orders instances agree on the owner of
 * every partition of `orders` (and each owner is one of them, not a stale claim of an old run).
 */
export async function startOrdersOnKafka(
  brokers: readonly string[],
  emailer: Emailer,
  {
    agreeTimeoutMs = 60_000,
    tracing,
    security,
    replicaDatabase,
    transport = demoTransport,
  }: {
    agreeTimeoutMs?: number;
    tracing?: StreamwiseAppOptions['tracing'];
    security?: DemoSecurity;
    /** Runs OrderReadModelService too, its orders table in this database (closed by the caller). */
    replicaDatabase?: ReplicaDatabase;
    transport?: DemoTransportFactory;
  } = {},
): Promise<OrdersOnKafka> {
  const started: StreamwiseApp[] = [];
  const stop = async () => {
    const [others, ...orders] = started;
    await Promise.allSettled(orders.map((app) => app.stop()));
    await others?.stop();
  };
  try {
    const container = ordersContainer(emailer);
    const start = async (services: typeof ORDER_SERVICES): Promise<StreamwiseApp> => {
      for (let attempt = 1; ; attempt++) {
        const app = StreamwiseApp.create({
          services,
          transport: transport(brokers, security),
          logger: new SilentLogger(),
          container,
          // The services read each other's topics (orders <-> validations), so whichever app starts
          // first reads a topic whose owner has not run yet; this demo creates them all. A
          // deployment runs `streamwise topics apply src/services.ts --execute` first instead.
          createForeignTopics: true,
          ...(tracing === undefined ? {} : { tracing }),
          ...(replicaDatabase === undefined ? {} : { replicaDatabase }),
        });
        try {
          await app.start();
          started.push(app);
          return app;
        } catch (error) {
          // Topics created just now may not have a leader yet (NOT_LEADER_FOR_PARTITION): the
          // failed app has stopped itself, so a new one tries again, a few times.
          if (attempt >= 5 || (error as { retriable?: unknown }).retriable !== true) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
    };
    const others = await start(
      replicaDatabase === undefined ? OTHER_SERVICES : [...OTHER_SERVICES, OrderReadModelService],
    );
    const ordersApps = [await start([OrdersService]), await start([OrdersService])] as const;
    const ids = ordersApps.map((app) => app.instanceId);
    // Both instances hold partitions (the group has split them), and both name the same owner
    // of every partition.
    const agreed = await waitUntil(() => {
      const owners = Array.from({ length: PARTITIONS }, (_, p) => {
        const seen = ordersApps.map(
          (app) => app.partitionHolder(ORDERS_SERVICE, Orders.name, p)?.instanceId,
        );
        return seen[0] !== undefined && ids.includes(seen[0]) && seen[1] === seen[0]
          ? seen[0]
          : undefined;
      });
      return owners.every((owner) => owner !== undefined) && new Set(owners).size === 2;
    }, agreeTimeoutMs);
    if (!agreed)
      throw new Error(
        `the two orders-service instances did not agree on the owners of ${Orders.name} within ${agreeTimeoutMs} ms`,
      );
    return {
      ordersApps,
      others,
      ownerOf: (id, asked = ordersApps[0]) =>
        asked.partitionHolder(
          ORDERS_SERVICE,
          Orders.name,
          partitionForKey(Buffer.from(id), PARTITIONS),
        )?.instanceId,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Sets a product's stock so that `available` units are free: the inventory service's
 * reservations live in a changelog and survive runs (they are never released), so on a shared
 * broker the stock level is the reservations so far plus what this run may use. Waits (bounded)
 * until the inventory service's view shows it.
 */
export async function makeAvailable(
  others: StreamwiseApp,
  product: Product,
  available: number,
): Promise<void> {
  const inventory = others.service(InventoryService);
  const quantity = Math.max(0, (inventory.reserved.get(product) ?? 0) + available);
  await others.service(WarehouseService).setStock({ product, quantity });
  const seen = await waitUntil(() => inventory.stock.get(product)?.quantity === quantity, 20_000);
  if (!seen) throw new Error(`the inventory service did not see the stock of ${product}`);
}

const CHECKS = ['FRAUD:', 'ORDER_DETAILS:'];

/**
 * Runs the orders system on a real broker — two orders-service instances, each with its own HTTP
 * server, and one app with every other service — posts the demo orders (ids and customers unique
 * to the run, since the topics outlive it), then asks both instances in turn for each order's
 * final state and prints its journey and how many GETs the asked instance forwarded.
 */
export async function runOrdersOnKafka(
  print: (line: string) => void,
  options: RunOrdersOnKafkaOptions,
): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  // Fraud sessions per customer (1-hour gap) also survive runs: customers are new every run.
  const customerOffset = (Math.floor(Date.now() / 1000) % 1_000_000) * 10;
  const orders = (options.orders ?? DEMO_ORDERS).map((o) => ({
    ...o,
    id: `${o.id}-${run}`,
    customerId: o.customerId + customerOffset,
  }));
  const emails: string[] = [];
  const { database, description } = demoDatabase();
  const system = await startOrdersOnKafka(
    options.brokers,
    { send: (e) => Promise.resolve(void emails.push(`${e.order.id} -> ${e.to}`)) },
    { security: options.security, replicaDatabase: database },
  ).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const { ordersApps, others } = system;
  const tapTransport = demoTransport(options.brokers, options.security);
  const tap = await tapJourneys(tapTransport, `orders-journey-tap-${run}`).catch(
    async (error: unknown) => {
      await system.stop();
      await database.close();
      throw error;
    },
  );
  try {
    print(`run ${run}: orders-service at ${ordersApps.map((a) => a.httpUrl).join(' and ')}`);
    const stocked = new Set<string>(['JUMPERS', 'UNDERPANTS']);
    await makeAvailable(others, 'JUMPERS', 10);
    await makeAvailable(others, 'UNDERPANTS', 5);
    const customers = demoCustomers(customerOffset);
    for (const customer of customers) await others.service(CustomersService).register(customer);
    // The email service joins orders with customers: wait until its view has them.
    const emailService = others.service(EmailService);
    await waitUntil(() => customers.every((c) => emailService.customers.has(c.id)), 20_000);

    for (const [i, o] of orders.entries()) {
      const url = ordersApps[i % 2].httpUrl as string;
      const answer = await postOrder(url, o);
      print(postLine(o, answer.status));
      await others.service(PaymentsService).pay({
        id: `pay-${o.id}`,
        orderId: o.id,
        ccy: 'EUR',
        amount: o.quantity * o.price,
      });
      // One order at a time, so reservations happen in this order: wait for its checks.
      const expected = [...CHECKS, ...(stocked.has(o.product ?? '') ? ['INVENTORY:'] : [])];
      const checked = () => expected.every((c) => tap.stepsOf(o.id).some((s) => s.startsWith(c)));
      if (!(await waitUntil(checked, 20_000)))
        print(`  (${o.id}: not every check answered in 20 s)`);
    }

    print('');
    let forwarded = 0;
    for (const [i, o] of orders.entries()) {
      const asked = ordersApps[i % 2];
      const decided = tap.stepsOf(o.id).some((s) => s === 'VALIDATED' || s === 'FAILED');
      const answer = await validatedState(asked.httpUrl as string, o.id, decided ? 10_000 : 1_000);
      const owner = system.ownerOf(o.id, asked);
      const hop = owner === asked.instanceId ? 'answered' : 'forwarded';
      if (hop === 'forwarded') forwarded++;
      print(
        `${journeyLine(o.id, tap.stepsOf(o.id), answer)}  [asked instance ${(i % 2) + 1}: ${hop}]`,
      );
    }
    print(`\n${forwarded} of ${orders.length} GETs forwarded to the other instance`);
    print(`emails: ${emails.join(', ')}`);

    const readModel = others.service(OrderReadModelService);
    const ends = await tapTransport.endOffsets(Orders.name);
    const caughtUp = await untilHolds(readModel, ends, 20_000);
    print(`\norders table (the read model's replica, in ${description}):`);
    if (!caughtUp) print('  (not caught up with the orders topic after 20 s)');
    for (const row of await readModel.rowsOf(orders.map((o) => o.id))) print(`  ${rowLine(row)}`);
  } finally {
    await tap.stop();
    await system.stop();
    await database.close();
  }
}
