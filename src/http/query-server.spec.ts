import { connect } from 'node:net';

import { Query } from '../decorators/query';
import { readQueries } from '../decorators/read-queries';
import { AppStateError } from '../errors/app-state-error';
import { BadRequestError } from '../errors/bad-request-error';
import { ConfigurationError } from '../errors/configuration-error';
import { NotFoundError } from '../errors/not-found-error';
import { QueryAbortedError } from '../errors/query-aborted-error';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import { SchemaValidationError } from '../errors/schema-validation-error';
import { SingleWriterViolationError } from '../errors/single-writer-violation-error';
import { TransportError } from '../errors/transport-error';
import type { LogFields, Logger } from '../logging/logger';
import { SilentLogger } from '../logging/silent-logger';
import type { QueryRequest } from './query-request';
import { accepted, created, noContent } from './query-result';
import { QueryServer } from './query-server';

/** expect.stringContaining, typed so it can sit inside an object literal. */
const containing = (text: string): unknown => expect.stringContaining(text);

/** Keeps what was logged, to check that a 500's real cause reaches the log. */
class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; fields: LogFields }[] = [];
  debug(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}

/** A promise with its resolver, to let a test wait for something a query does. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Fails with a clear message instead of hanging until Jest's timeout. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let entered = deferred();
let abortedWith = deferred<unknown>();

class Shop {
  readonly calls: unknown[][] = [];
  thrown: unknown;

  @Query('GET /stock/:product')
  level(product: string, request: QueryRequest) {
    this.calls.push([product, request]);
    return { product, level: 3 };
  }

  @Query('GET /pairs/:first/of/:second')
  pair(first: string, second: string, request: QueryRequest) {
    return { first, second, lastIsRequest: typeof request.signal === 'object' };
  }

  @Query('GET /echo')
  echo(request: QueryRequest) {
    return {
      query: request.query,
      timeoutMs: request.timeoutMs ?? null,
      tag: request.headers['x-tag'],
    };
  }

  @Query('POST /orders')
  place(request: QueryRequest) {
    return created('/orders/42', { id: '42', received: request.body });
  }

  @Query('POST /notes')
  note(request: QueryRequest) {
    return { body: request.body };
  }

  @Query('POST /commands')
  command() {
    return accepted();
  }

  @Query('PUT /commands/:id')
  replace() {
    return noContent();
  }

  @Query('GET /text')
  text() {
    return 'hello';
  }

  @Query('GET /nothing/:id')
  nothing() {
    return undefined;
  }

  @Query('GET /null')
  nullValue() {
    return null;
  }

  @Query('GET /async/:id')
  async later(id: string) {
    await Promise.resolve();
    return { id };
  }

  @Query('GET /bigint')
  bigint() {
    return { n: 1n };
  }

  @Query('GET /fail')
  fail() {
    throw this.thrown;
  }

  @Query('GET /fail-async')
  async failAsync() {
    await Promise.resolve();
    throw this.thrown;
  }

  @Query('GET /hang')
  async hang(request: QueryRequest) {
    entered.resolve();
    await new Promise<void>((resolve) => {
      request.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    abortedWith.resolve(request.signal.reason);
    throw request.signal.reason;
  }
}

const servers: QueryServer[] = [];
let logger: RecordingLogger;
let shop: Shop;
let url: string;

function newServer(options: { port?: number; stopGraceMs?: number } = {}): QueryServer {
  const server = new QueryServer({ logger: new SilentLogger(), ...options });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  entered = deferred();
  abortedWith = deferred<unknown>();
  logger = new RecordingLogger();
  shop = new Shop();
  const server = new QueryServer({ logger });
  servers.push(server);
  server.mount('shop-service', shop, readQueries(Shop));
  ({ url } = await server.start());
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

function postJson(path: string, body: string): Promise<Awaited<ReturnType<typeof call>>> {
  return call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('QueryServer routes', () => {
  it('passes path params positionally, then a QueryRequest', async () => {
    const response = await call('/stock/boots');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ product: 'boots', level: 3 });
    const [product, request] = shop.calls[0] as [string, QueryRequest];
    expect(product).toBe('boots');
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(request.body).toBeUndefined();
    expect(request.timeoutMs).toBeUndefined();
  });

  it('keeps the order of several params and decodes them', async () => {
    expect((await call('/pairs/a%20b/of/c')).body).toEqual({
      first: 'a b',
      second: 'c',
      lastIsRequest: true,
    });
  });

  it('accepts long keys as params', async () => {
    const key = 'k'.repeat(500);
    expect((await call(`/stock/${key}`)).body).toEqual({ product: key, level: 3 });
  });

  it('gives the query string (first of repeated names) and the headers', async () => {
    const response = await call('/echo?color=red&size=9&size=10', { headers: { 'x-tag': 't1' } });
    expect(response.body).toEqual({
      query: { color: 'red', size: '9' },
      timeoutMs: null,
      tag: 't1',
    });
  });

  it('parses a JSON body and answers 201 with Location for created()', async () => {
    const response = await postJson('/orders', '{"sku":"boots","quantity":2}');
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/orders/42');
    expect(response.body).toEqual({ id: '42', received: { sku: 'boots', quantity: 2 } });
  });

  it('takes an empty JSON body as no body, and a text/plain body as a string', async () => {
    expect((await postJson('/notes', '')).body).toEqual({});
    const text = await call('/notes', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'just text',
    });
    expect(text.body).toEqual({ body: 'just text' });
  });

  it('answers 202 for accepted() and 204 for noContent(), without a body', async () => {
    const acceptedResponse = await call('/commands', { method: 'POST' });
    expect(acceptedResponse.status).toBe(202);
    expect(acceptedResponse.text).toBe('');
    const none = await call('/commands/7', { method: 'PUT' });
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });

  it('sends a string as JSON, and null as JSON null', async () => {
    const text = await call('/text');
    expect(text.headers.get('content-type')).toMatch(/^application\/json/);
    expect(text.text).toBe('"hello"');
    const nothing = await call('/null');
    expect(nothing.status).toBe(200);
    expect(nothing.text).toBe('null');
  });

  it('awaits an async method', async () => {
    expect((await call('/async/9')).body).toEqual({ id: '9' });
  });

  it('answers 404 with a JSON error when the method returns undefined', async () => {
    const response = await call('/nothing/7');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'SW_NOT_FOUND', message: 'Nothing found at GET /nothing/7.' },
    });
  });

  it('answers 404 with a JSON error for an unknown route or method', async () => {
    const unknown = await call('/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 'SW_NOT_FOUND', message: containing('No query at GET /nope') },
    });
    expect((await call('/stock/boots', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('QueryServer ?timeout', () => {
  it.each([
    ['250', 250],
    ['0', 0],
    ['600000', 600_000],
  ])('parses ?timeout=%s into timeoutMs', async (value, expected) => {
    expect((await call(`/echo?timeout=${value}`)).body).toMatchObject({ timeoutMs: expected });
  });

  it.each(['abc', '-1', '1.5', '600001', '', '1e3'])(
    'answers 400 for ?timeout=%s',
    async (value) => {
      const response = await call(`/echo?timeout=${value}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: { code: 'SW_BAD_REQUEST', message: containing('?timeout must be') },
      });
    },
  );
});

describe('QueryServer error mapping', () => {
  it.each([
    { label: 'NotFoundError', error: new NotFoundError('Order "42" does not exist.'), status: 404 },
    { label: 'QueryTimeoutError', error: new QueryTimeoutError(100), status: 504 },
    { label: 'BadRequestError', error: new BadRequestError('quantity must be > 0'), status: 400 },
    { label: 'ConfigurationError', error: new ConfigurationError('bad option'), status: 400 },
    {
      label: 'SchemaValidationError',
      error: new SchemaValidationError('orders', 1, ['/id must be string'], 'publish'),
      status: 400,
    },
    {
      label: 'SingleWriterViolationError',
      error: new SingleWriterViolationError('orders', 'shop-service', 'orders-service'),
      status: 409,
    },
    {
      label: 'a retriable StreamwiseError',
      error: new TransportError('broker unreachable', { retriable: true }),
      status: 503,
    },
    {
      label: 'a non-retriable StreamwiseError',
      error: new TransportError('broker refused', { retriable: false }),
      status: 500,
    },
  ])('maps $label to $status with its code and message', async ({ error, status }) => {
    shop.thrown = error;
    for (const path of ['/fail', '/fail-async']) {
      const response = await call(path);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: { code: error.code, message: error.message } });
      expect(response.headers.get('retry-after')).toBe(status === 503 ? '1' : null);
    }
  });

  it.each([
    ['an Error', new Error('db password is hunter2')],
    ['a thrown string', 'db password is hunter2'],
  ])('hides %s behind a 500 and logs it', async (_label, thrown) => {
    shop.thrown = thrown;
    const response = await call('/fail');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'SW_QUERY_FAILED', message: 'internal error; see the service log' },
    });
    expect(response.text).not.toContain('hunter2');
    const logged = logger.entries.filter((e) => e.level === 'error');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.fields).toMatchObject({
      service: 'shop-service',
      method: 'fail',
      status: 500,
      error: thrown,
    });
  });

  it('logs a query timeout (504) at debug: an expected answer to a long poll, not a warning', async () => {
    shop.thrown = new QueryTimeoutError(100);
    for (let i = 0; i < 3; i++) expect((await call('/fail')).status).toBe(504);
    const timeouts = logger.entries.filter((e) => e.fields.status === 504);
    expect(timeouts.map((e) => e.level)).toEqual(['debug', 'debug', 'debug']);
  });

  it('answers 500 when the result has no JSON form', async () => {
    const response = await call('/bigint');
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ error: { code: 'SW_QUERY_FAILED' } });
  });

  it('answers 400 with a clear message for a malformed JSON body', async () => {
    const response = await postJson('/orders', '{"sku": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'SW_BAD_REQUEST',
        message: containing('The request body is not valid JSON'),
      },
    });
  });

  it('answers 415 as JSON for a body type it cannot read', async () => {
    const response = await call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<order/>',
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: { code: 'SW_BAD_REQUEST' } });
  });
});

describe('QueryServer request signal', () => {
  it('aborts the signal when the client disconnects', async () => {
    const client = new AbortController();
    const pending = fetch(`${url}/hang`, { signal: client.signal }).catch(() => undefined);
    await within(entered.promise, 2_000, 'the query starting');
    client.abort();
    const reason = await within(abortedWith.promise, 2_000, 'the signal aborting');
    expect(reason).toBeInstanceOf(QueryAbortedError);
    expect(String(reason)).toContain('the client disconnected');
    await pending;
  });

  it('aborts in-flight queries on stop, answering 503, and stops promptly', async () => {
    const server = servers[0];
    const pending = call('/hang');
    await within(entered.promise, 2_000, 'the query starting');
    await within(server.stop(), 5_000, 'stop()');
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: { code: 'SW_QUERY_ABORTED' } });
    expect(String(await abortedWith.promise)).toContain('the server is stopping');
  });
});

describe('QueryServer lifecycle', () => {
  it('stops promptly although a client holds a connection that never sent a request', async () => {
    const server = servers[0];
    const { port } = new URL(url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.on('error', () => undefined); // reset by the server on stop
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    try {
      await within(server.stop(), 2_000, 'stop()');
    } finally {
      socket.destroy();
    }
  });

  it('gives its address only while running', async () => {
    const server = newServer();
    expect(() => server.address).toThrow(AppStateError);
    const { url: started } = await server.start();
    expect(server.address.url).toBe(started);
    expect(server.address.host).toBe('127.0.0.1');
    expect(started).toBe(`http://127.0.0.1:${server.address.port}`);
    await server.stop();
    expect(() => server.address).toThrow(AppStateError);
  });

  it('refuses mounting after start, and a second start', async () => {
    const server = newServer();
    await server.start();
    expect(() => server.mount('shop-service', new Shop(), readQueries(Shop))).toThrow(
      AppStateError,
    );
    await expect(server.start()).rejects.toThrow(AppStateError);
  });

  it('stops idempotently, also when never started', async () => {
    const server = newServer();
    await server.start();
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    await newServer().stop();
    expect(() => server.address).toThrow(AppStateError);
  });

  it('stops answering once stopped', async () => {
    const server = newServer();
    server.mount('shop-service', new Shop(), readQueries(Shop));
    const { url: started } = await server.start();
    expect((await fetch(`${started}/stock/x`)).status).toBe(200);
    await server.stop();
    await expect(fetch(`${started}/stock/x`)).rejects.toThrow();
  });

  it('fails to start on a port in use with a ConfigurationError', async () => {
    const port = Number(new URL(url).port);
    const server = newServer({ port });
    await expect(server.start()).rejects.toThrow(ConfigurationError);
    await expect(server.start()).rejects.toThrow(AppStateError);
  });

  it('rejects an invalid port', () => {
    expect(() => newServer({ port: 70_000 })).toThrow(ConfigurationError);
    expect(() => newServer({ port: 1.5 })).toThrow(ConfigurationError);
  });

  it('rejects two routes that clash, naming both', () => {
    const server = newServer();
    server.mount('shop-service', new Shop(), readQueries(Shop));
    class Other {
      @Query('GET /stock/:sku')
      level() {
        return 1;
      }
    }
    expect(() => server.mount('other-service', new Other(), readQueries(Other))).toThrow(
      /GET \/stock\/:sku of other-service.level clashes with a route of shop-service.level/,
    );
  });

  it('rejects a query whose method the instance lacks', () => {
    expect(() =>
      newServer().mount('shop-service', {}, [
        { method: 'missing', httpMethod: 'GET', path: '/x', params: [] },
      ]),
    ).toThrow(/shop-service.missing is declared with @Query but is not a method/);
  });

  it('rejects routing for a method that is not a query, and routing without a directory', () => {
    const route = () => ({ topic: 'stock', partition: 0 });
    expect(() =>
      newServer().mount('shop-service', new Shop(), readQueries(Shop), {
        routing: { nope: route },
      }),
    ).toThrow(/names "nope", which is not one of its @Query methods/);
    expect(() =>
      newServer().mount('shop-service', new Shop(), readQueries(Shop), {
        routing: { level: route },
      }),
    ).toThrow(/needs an InstanceDirectory/);
  });

  it('serves a path with a literal colon inside a segment', async () => {
    class Colons {
      @Query('GET /v1/items:batch')
      batch() {
        return 'batch';
      }
    }
    const server = newServer();
    server.mount('colon-service', new Colons(), readQueries(Colons));
    const { url: started } = await server.start();
    const response = await fetch(`${started}/v1/items:batch`);
    expect(response.status).toBe(200);
    expect(await response.json()).toBe('batch');
  });
});
