import { SilentLogger, StreamwiseApp } from '../../src';
import { pgliteDatabase } from '../../src/pglite';
import { MemoryBroker, MemoryTransport } from '../../src/testing';
import { registerTestTracing } from '../../test/support/otel-sdk';
import type { Order, Product } from './domain';
import { ordersContainer } from './emailer';
import {
  demoCustomers,
  journeyLine,
  postLine,
  postOrder,
  tapJourneys,
  validatedState,
} from './journeys';
import { metricsSummary } from './metrics-summary';
import { OrderReadModelService, rowLine, untilHolds } from './order-read-model-service';
import { traceLine } from './order-trace';
import {
  CustomersService,
  ORDER_SERVICES,
  Orders,
  PaymentsService,
  WarehouseService,
} from './services';

export interface RunOrdersOptions {
  /** The orders to post, in order (default: DEMO_ORDERS). */
  readonly orders?: readonly Order[];
  /** How long GET /validated may wait for an order that never gets all its results. */
  readonly validatedTimeoutMs?: number;
  /** Print a per-service summary from the app's GET /metrics at the end (`--metrics`). */
  readonly metrics?: boolean;
  /**
   * Register an OpenTelemetry SDK (spans kept in memory) and print each order's trace at the end
   * (`--trace`): one trace per POST, across every service the order reached.
   */
  readonly trace?: boolean;
}

const order = (id: string, customerId: number, fields: Partial<Order>): Order => ({
  id,
  customerId,
  state: 'CREATED',
  product: 'JUMPERS',
  quantity: 1,
  price: 10,
  ...fields,
});

/** The warehouse's stock at the start; STOCKINGS has no record at all. */
const STOCK = new Map<Product, number>([
  ['JUMPERS', 10],
  ['UNDERPANTS', 5],
]);

/** One per business rule (README.md); JUMPERS has 10 in stock, STOCKINGS no record at all. */
export const DEMO_ORDERS: readonly Order[] = [
  order('o-1', 1, { quantity: 2, price: 25 }), // 50: every check passes
  order('o-2', 2, { quantity: 0, price: 0 }), // zero passes the details check
  order('o-3', 3, { quantity: 4, price: 500 }), // 2000: fraud FAIL, stock still reserved
  order('o-4', 4, { product: 'UNDERPANTS', quantity: -1, price: -5 }), // details FAIL
  order('o-5', 1, { quantity: 5 }), // 2 + 4 reserved, 10 in stock: inventory FAIL
  order('o-6', 1, { quantity: 4 }), // exactly the 4 left: PASS
  order('o-7', 2, { product: 'STOCKINGS' }), // no inventory record: never decided
];

/**
 * Runs every service of the orders system on the embedded broker, posts orders over HTTP, and
 * prints each order's journey: created, each check's result, the final state.
 */
export async function runOrders(
  print: (line: string) => void,
  options: RunOrdersOptions = {},
): Promise<void> {
  const orders = options.orders ?? DEMO_ORDERS;
  // Registered before the app is built: each dispatcher and route asks once for a provider.
  const tracing = options.trace === true ? registerTestTracing() : undefined;
  const broker = new MemoryBroker();
  const emails: string[] = [];
  // The read model's orders table lives in PostgreSQL inside this process: no server to start.
  const database = pgliteDatabase();
  const app = StreamwiseApp.create({
    services: [...ORDER_SERVICES, OrderReadModelService],
    transport: new MemoryTransport({ broker }),
    replicaDatabase: database,
    logger: new SilentLogger(),
    ...(options.metrics === true ? { metrics: { prometheus: true } } : {}),
    ...(tracing === undefined ? {} : { tracing: { consumerSpans: 'child' as const } }),
    container: ordersContainer({
      send: (e) => Promise.resolve(void emails.push(`${e.order.id} -> ${e.to}`)),
    }),
  });
  await app.start();
  const tap = await tapJourneys(new MemoryTransport({ broker }), 'orders-journey-tap');

  for (const [product, quantity] of STOCK)
    await app.service(WarehouseService).setStock({ product, quantity });
  for (const customer of demoCustomers()) await app.service(CustomersService).register(customer);
  await broker.settled();

  const url = app.httpUrl as string;
  for (const o of orders) {
    const answer = await postOrder(url, o);
    print(postLine(o, answer.status));
    await app.service(PaymentsService).pay({
      id: `pay-${o.id}`,
      orderId: o.id,
      ccy: 'EUR',
      amount: o.quantity * o.price,
    });
    await broker.settled(); // one order at a time, so reservations happen in this order
  }

  print('');
  const timeout = options.validatedTimeoutMs ?? 200;
  for (const o of orders) {
    const answer = await validatedState(url, o.id, timeout);
    print(journeyLine(o.id, tap.stepsOf(o.id), answer));
    if (!answer.ok) print(`     why: ${undecidedReason(o, tap.stepsOf(o.id))}`);
  }
  print(`\nemails: ${emails.join(', ')}`);
  await broker.settled();
  const readModel = app.service(OrderReadModelService);
  const ends = broker.requireTopic(Orders.name).partitions.map((p) => p.endOffset);
  const caughtUp = await untilHolds(readModel, ends, 10_000);
  print(`\norders table (the read model's replica, in PGlite: PostgreSQL inside this process):`);
  if (!caughtUp) print('  (not caught up with the orders topic after 10 s)');
  for (const row of await readModel.rowsOf(orders.map((o) => o.id))) print(`  ${rowLine(row)}`);
  if (options.metrics === true) {
    await broker.settled();
    print('\nmetrics (GET /metrics):');
    for (const line of metricsSummary(await (await fetch(`${url}/metrics`)).text())) print(line);
  }
  if (tracing !== undefined) {
    await broker.settled();
    print('\ntraces (an OpenTelemetry SDK, consumer spans as children of the publishes):');
    for (const o of orders) print(traceLine(tracing.spans(), o.id));
  }
  await tap.stop();
  await app.stop();
  await database.close();
  await tracing?.stop();
}

/** Why an order is still CREATED: which checks never answered, and why the inventory one did not. */
function undecidedReason(o: Order, steps: readonly string[]): string {
  const missing = ['INVENTORY', 'FRAUD', 'ORDER_DETAILS'].filter(
    (check) => !steps.some((step) => step.startsWith(`${check}:`)),
  );
  const cause =
    missing.includes('INVENTORY') && o.product !== undefined && !STOCK.has(o.product)
      ? `the warehouse has no stock record for ${o.product}, so the inventory check never answers`
      : 'those checks have not answered yet';
  return `no ${missing.join(' or ')} result: ${cause}; an order is decided by one FAIL or by all three PASSes.`;
}
