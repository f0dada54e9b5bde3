import { ChangeBroadcaster } from '../../test/support/change-broadcaster';
import { Query } from '../decorators/query';
import { readQueries } from '../decorators/read-queries';
import { SilentLogger } from '../logging/silent-logger';
import type { QueryRequest } from './query-request';
import { QueryServer } from './query-server';
import { waitUntil } from './wait-until';

/** expect.stringContaining, typed so it can sit inside an object literal. */
const containing = (text: string): unknown => expect.stringContaining(text);

interface Order {
  readonly id: string;
  readonly state: string;
}

/** The shape `GET /v1/orders/:id?timeout=ms` will have over a materialized view. */
class Orders {
  readonly table = new Map<string, Order>();
  readonly changes = new ChangeBroadcaster();

  put(order: Order): void {
    this.table.set(order.id, order);
    this.changes.notify();
  }

  @Query('GET /v1/orders/:id')
  get(id: string, request: QueryRequest) {
    if (request.timeoutMs === undefined) return this.table.get(id);
    return waitUntil(() => this.table.get(id), {
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      changes: this.changes,
    });
  }
}

/** Polls a condition without sleeping a fixed time; fails clearly if it never holds. */
async function eventually(condition: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let server: QueryServer;
let orders: Orders;
let url: string;

beforeEach(async () => {
  orders = new Orders();
  server = new QueryServer({ logger: new SilentLogger() });
  server.mount('orders-service', orders, readQueries(Orders));
  ({ url } = await server.start());
});

afterEach(async () => {
  await server.stop();
});

describe('long polling with ?timeout', () => {
  it('answers 404 at once without ?timeout', async () => {
    const response = await fetch(`${url}/v1/orders/42`);
    expect(response.status).toBe(404);
  });

  it('answers at once when the order is already there', async () => {
    orders.put({ id: '42', state: 'CREATED' });
    const response = await fetch(`${url}/v1/orders/42?timeout=5000`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42', state: 'CREATED' });
  });

  it('waits until the order appears, then answers 200', async () => {
    const pending = fetch(`${url}/v1/orders/42?timeout=10000`);
    await eventually(() => orders.changes.listenerCount === 1, 'the query starting to wait');
    orders.put({ id: '7', state: 'CREATED' }); // another key: keeps waiting
    expect(orders.changes.listenerCount).toBe(1);
    orders.put({ id: '42', state: 'VALIDATED' });
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42', state: 'VALIDATED' });
    expect(orders.changes.listenerCount).toBe(0);
  });

  it('answers 504 when the order does not appear in time', async () => {
    const started = Date.now();
    const response = await fetch(`${url}/v1/orders/42?timeout=100`);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({
      error: { code: 'SW_QUERY_TIMEOUT', message: containing('within 100 ms') },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(80); // loose: never much early
    expect(orders.changes.listenerCount).toBe(0);
  });

  it('stops waiting when the client disconnects', async () => {
    const client = new AbortController();
    const pending = fetch(`${url}/v1/orders/42?timeout=60000`, { signal: client.signal });
    await eventually(() => orders.changes.listenerCount === 1, 'the query starting to wait');
    client.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => orders.changes.listenerCount === 0, 'the wait ending');
  });
});
