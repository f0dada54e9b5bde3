import { waitFor } from '../../test/support/wait-for';
import { Query } from '../decorators/query';
import { readQueries } from '../decorators/read-queries';
import { SilentLogger } from '../logging/silent-logger';
import { FORWARDED_BY_HEADER } from './forward-request';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import type { QueryRequest } from './query-request';
import { created } from './query-result';
import type { QueryRouting } from './query-routing';
import { QueryServer } from './query-server';

/** expect.stringContaining, typed so it can sit inside an object literal. */
const containing = (text: string): unknown => expect.stringContaining(text);

/** Instance id → URL, filled in as servers start on ephemeral ports. */
const urls = new Map<string, string>();

/** One instance's view of the group: partition → owning instance id. Views may disagree. */
class FakeDirectory implements InstanceDirectory {
  readonly self: { readonly instanceId: string };
  readonly holders = new Map<number, string>();
  readonly asked: { service: string; topic: string; partition: number }[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(instanceId: string) {
    this.self = { instanceId };
  }

  holderOf(service: string, topic: string, partition: number): InstanceAddress | undefined {
    this.asked.push({ service, topic, partition });
    const instanceId = this.holders.get(partition);
    const url = instanceId === undefined ? undefined : urls.get(instanceId);
    return instanceId === undefined || url === undefined ? undefined : { instanceId, url };
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A claim arrives: the partition gets a holder, and waiting requests look again. */
  claim(partition: number, instanceId: string): void {
    this.holders.set(partition, instanceId);
    for (const listener of [...this.#listeners]) listener();
  }

  get listening(): number {
    return this.#listeners.size;
  }
}

interface Seen {
  readonly id: string;
  readonly forwardedBy: string | null;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly contentType: string | null;
}

class OrderQueries {
  readonly seen: Seen[] = [];
  /** Ids of slow queries whose signal aborted. */
  readonly aborted: string[] = [];

  constructor(readonly instanceId: string) {}

  #record(id: string, request: QueryRequest): Seen {
    const header = request.headers[FORWARDED_BY_HEADER];
    const seen: Seen = {
      id,
      forwardedBy: typeof header === 'string' ? header : null,
      query: request.query,
      body: request.body,
      contentType: request.headers['content-type'] ?? null,
    };
    this.seen.push(seen);
    return seen;
  }

  @Query('GET /orders/:id')
  async get(id: string, request: QueryRequest) {
    const seen = this.#record(id, request);
    if (id.endsWith('-missing')) return undefined;
    if (id.endsWith('-slow')) {
      await new Promise<void>((resolve) => {
        request.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.aborted.push(id);
      return undefined;
    }
    return { id, servedBy: this.instanceId, forwardedBy: seen.forwardedBy, query: seen.query };
  }

  @Query('POST /orders/:id/notes')
  addNote(id: string, request: QueryRequest) {
    this.#record(id, request);
    return created(`/orders/${id}/notes/1`, { servedBy: this.instanceId, note: request.body });
  }
}

/** Keys starting with a → partition 0, b → 1, x → 2 (owned by nobody); "any" needs no holder. */
const byKey: QueryRouting = (params) => {
  const id = params.id ?? '';
  if (id === 'any') return undefined;
  const partition = { a: 0, b: 1, x: 2 }[id.charAt(0)];
  return partition === undefined ? undefined : { topic: 'orders', partition };
};

const servers: QueryServer[] = [];
let dirA: FakeDirectory;
let dirB: FakeDirectory;
let queriesA: OrderQueries;
let queriesB: OrderQueries;
let urlA: string;

async function startInstance(
  instanceId: string,
  directory: FakeDirectory,
  queries: OrderQueries,
  forwardTimeoutMs?: number,
): Promise<string> {
  const server = new QueryServer({ logger: new SilentLogger(), directory, forwardTimeoutMs });
  servers.push(server);
  server.mount('orders-service', queries, readQueries(OrderQueries), {
    routing: { get: byKey, addNote: byKey },
  });
  const { url } = await server.start();
  urls.set(instanceId, url);
  return url;
}

async function startPair(options: { forwardTimeoutMs?: number } = {}): Promise<void> {
  dirA = new FakeDirectory('A');
  dirB = new FakeDirectory('B');
  for (const directory of [dirA, dirB]) {
    directory.holders.set(0, 'A');
    directory.holders.set(1, 'B');
  }
  queriesA = new OrderQueries('A');
  queriesB = new OrderQueries('B');
  urlA = await startInstance('A', dirA, queriesA, options.forwardTimeoutMs);
  await startInstance('B', dirB, queriesB);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  urls.clear();
});

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${urlA}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

describe('forwarding key-routed queries', () => {
  beforeEach(async () => {
    await startPair();
  });

  it('answers locally for a key whose partition this instance owns', async () => {
    const response = await call('/orders/a1');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'a1', servedBy: 'A', forwardedBy: null, query: {} });
    expect(queriesB.seen).toHaveLength(0);
    expect(dirA.asked).toEqual([{ service: 'orders-service', topic: 'orders', partition: 0 }]);
  });

  it('answers locally when routing says any instance can', async () => {
    expect((await call('/orders/any')).body).toMatchObject({ servedBy: 'A' });
    expect(dirA.asked).toHaveLength(0);
  });

  it("relays the holder's answer for a key another instance owns", async () => {
    const response = await call('/orders/b1?color=red&timeout=1000');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      id: 'b1',
      servedBy: 'B',
      forwardedBy: 'A',
      query: { color: 'red', timeout: '1000' },
    });
    expect(queriesA.seen).toHaveLength(0);
  });

  it('forwards method, body and content type, and relays status, Location and body', async () => {
    const response = await call('/orders/b7/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"leave at the door"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/orders/b7/notes/1');
    expect(response.body).toEqual({ servedBy: 'B', note: { text: 'leave at the door' } });
    expect(queriesB.seen).toEqual([
      {
        id: 'b7',
        forwardedBy: 'A',
        query: {},
        body: { text: 'leave at the door' },
        contentType: 'application/json',
      },
    ]);
  });

  it("relays the holder's error answer as is", async () => {
    const response = await call('/orders/b-missing');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'SW_NOT_FOUND', message: 'Nothing found at GET /orders/b-missing.' },
    });
  });

  it('answers 504 when no instance claims the partition within the request timeout', async () => {
    const response = await call('/orders/x1?timeout=50');
    expect(response.status).toBe(504);
    expect(response.body).toEqual({
      error: {
        code: 'SW_HOLDER_WAIT_TIMEOUT',
        message: containing('orders[2] within 50 ms'),
      },
    });
    expect(dirA.listening).toBe(0);
  });

  it('waits for a holder while none is known, then forwards to it', async () => {
    const pending = call('/orders/x1?timeout=60000');
    // The request is waiting once it listens for claims; then the rebalance settles.
    await waitFor(() => dirA.listening === 1, 'the request to wait for a holder');
    dirA.claim(2, 'B');
    dirB.claim(2, 'B');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'x1', servedBy: 'B', forwardedBy: 'A' });
    expect(dirA.listening).toBe(0);
  });

  it('refuses to forward a forwarded request again when the instances disagree', async () => {
    dirB.holders.set(1, 'A'); // B already believes A took partition 1 over
    const response = await call('/orders/b1');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toEqual({
      error: {
        code: 'SW_HOLDER_UNAVAILABLE',
        message: containing('No instance holding the partition is reachable; retry.'),
      },
    });
    expect(queriesA.seen).toHaveLength(0);
    expect(queriesB.seen).toHaveLength(0);
  });

  it('never forwards a request that already carries the forwarded-by header', async () => {
    const response = await call('/orders/b1', { headers: { [FORWARDED_BY_HEADER]: 'Z' } });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      error: { code: 'SW_HOLDER_UNAVAILABLE', message: containing('"Z"') },
    });
    expect(queriesB.seen).toHaveLength(0);
  });

  it('answers 503 when the holder cannot be reached', async () => {
    const gone = new QueryServer({ logger: new SilentLogger() });
    const { url } = await gone.start();
    await gone.stop();
    urls.set('C', url);
    dirA.holders.set(1, 'C');
    const response = await call('/orders/b1');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      error: {
        code: 'SW_HOLDER_UNAVAILABLE',
        message: containing(`Instance "C" at ${url} could not be reached`),
      },
    });
  });
});

describe('forwarding deadlines', () => {
  it('answers 503 when the holder does not answer in time, and lets go of it', async () => {
    await startPair({ forwardTimeoutMs: 100 });
    const response = await call('/orders/b-slow');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      error: {
        code: 'SW_HOLDER_UNAVAILABLE',
        message: containing('did not answer within 100 ms'),
      },
    });
    expect(queriesB.seen.map((s) => s.id)).toEqual(['b-slow']);
    // Giving up closes the connection to B, which aborts B's query instead of leaving it waiting.
    const deadline = Date.now() + 2_000;
    while (!queriesB.aborted.includes('b-slow')) {
      if (Date.now() > deadline) throw new Error("B's query was not aborted within 2000 ms");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
});
