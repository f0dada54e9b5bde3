import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ConfigurationError } from '../../errors/configuration-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import { ConfluentSchemaRegistryClient } from './confluent-schema-registry-client';

type Route = (request: IncomingMessage, body: string) => { status: number; body?: unknown };

/** A scripted registry on 127.0.0.1, answering by "METHOD path". */
async function fakeRegistry(
  routes: Record<string, Route>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const route = routes[`${request.method} ${request.url}`];
      const answer =
        route === undefined ? { status: 404, body: { message: 'no route' } } : route(request, body);
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const Payment = {
  type: 'object',
  properties: { id: { type: 'string' } },
  additionalProperties: false,
};

describe('ConfluentSchemaRegistryClient (against a scripted registry)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running !== undefined) await new Promise((resolve) => running.close(resolve));
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new ConfluentSchemaRegistryClient({ url: 'localhost:8081' })).toThrow(
      ConfigurationError,
    );
    expect(() => new ConfluentSchemaRegistryClient({ url: 'localhost:8081' })).toThrow(
      'schemaRegistry: url must be an http(s) URL such as "http://localhost:8081", got "localhost:8081".',
    );
  });

  it('passes on the messages of a registry that explains itself (Confluent, verbose=true)', async () => {
    let asked = '';
    const fake = await fakeRegistry({
      'GET /config/p-value': () => ({ status: 200, body: { compatibilityLevel: 'FULL' } }),
      'POST /compatibility/subjects/p-value/versions/latest?verbose=true': (_request, body) => {
        asked = body;
        return {
          status: 200,
          body: { is_compatible: false, messages: ['READER_FIELD_MISSING_DEFAULT_VALUE: note'] },
        };
      },
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: `${fake.url}/` });
    expect(await client.checkCompatibility('p-value', Payment, 'JSON')).toEqual({
      compatible: false,
      messages: ['READER_FIELD_MISSING_DEFAULT_VALUE: note'],
    });
    expect(JSON.parse(asked)).toEqual({ schema: JSON.stringify(Payment), schemaType: 'JSON' });
  });

  it('asks about every version under a transitive level', async () => {
    const fake = await fakeRegistry({
      'GET /config/p-value': () => ({
        status: 200,
        body: { compatibilityLevel: 'BACKWARD_TRANSITIVE' },
      }),
      'POST /compatibility/subjects/p-value/versions?verbose=true': () => ({
        status: 200,
        body: { is_compatible: true },
      }),
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    expect(await client.checkCompatibility('p-value', Payment, 'JSON')).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('explains a bare refusal locally against the registered versions, naming the field', async () => {
    const v1 = { ...Payment, properties: { id: { type: 'string' }, amount: { type: 'number' } } };
    const fake = await fakeRegistry({
      'GET /config/p-value': () => ({ status: 404 }),
      'GET /config': () => ({ status: 200, body: { compatibilityLevel: 'BACKWARD' } }),
      'POST /compatibility/subjects/p-value/versions/latest?verbose=true': () => ({
        status: 200,
        body: { is_compatible: false },
      }),
      'GET /subjects/p-value/versions': () => ({ status: 200, body: [1] }),
      'GET /subjects/p-value/versions/1': () => ({
        status: 200,
        body: { schema: JSON.stringify(v1), schemaType: 'JSON' },
      }),
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    const result = await client.checkCompatibility('p-value', Payment, 'JSON');
    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual([
      `new schema reading version 1 data: field "amount" is not allowed by the reader (additionalProperties: false), but the writer's data has it`,
    ]);
  });

  it('treats a subject without versions as compatible', async () => {
    const fake = await fakeRegistry({
      'GET /config': () => ({ status: 200, body: { compatibilityLevel: 'BACKWARD' } }),
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    expect(await client.checkCompatibility('new-value', Payment, 'JSON')).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('reads a schema by id with the subject and version it was first registered under', async () => {
    const fake = await fakeRegistry({
      'GET /schemas/ids/7': () => ({
        status: 200,
        body: { schema: JSON.stringify(Payment), schemaType: 'JSON' },
      }),
      'GET /schemas/ids/7/versions': () => ({
        status: 200,
        body: [{ subject: 'p-value', version: 3 }],
      }),
      'GET /schemas/ids/8': () => ({
        status: 200,
        body: { schema: '{"type":"record","name":"P","fields":[]}' },
      }),
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    expect(await client.getSchema(7)).toEqual({
      schema: Payment,
      type: 'JSON',
      subject: 'p-value',
      version: 3,
    });
    // Avro is the registry's default type when schemaType is left out.
    expect(await client.getSchema(8)).toMatchObject({ type: 'AVRO', subject: '', version: 0 });
    await expect(client.getSchema(9)).rejects.toMatchObject({ status: 404, retriable: false });
  });

  it('makes a 5xx a retriable SchemaRegistryError with the registry message', async () => {
    const fake = await fakeRegistry({
      'GET /subjects/p-value/versions/latest': () => ({
        status: 503,
        body: { message: 'warming up' },
      }),
    });
    server = fake.server;
    const attempt = new ConfluentSchemaRegistryClient({ url: fake.url }).latestVersion('p-value');
    await expect(attempt).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(attempt).rejects.toMatchObject({ status: 503, retriable: true });
    await expect(attempt).rejects.toThrow('HTTP 503: warming up');
  });
  it('registers over the REST API: JSON with its schemaType, Avro without, a 5xx retried', async () => {
    const bodies: unknown[] = [];
    let failures = 1;
    const fake = await fakeRegistry({
      'POST /subjects/p-value/versions': (_request, body) => {
        if (failures-- > 0) return { status: 503, body: { message: 'leader moving' } };
        bodies.push(JSON.parse(body));
        return { status: 200, body: { id: 7 } };
      },
      'POST /subjects/a-value/versions': (_request, body) => {
        bodies.push(JSON.parse(body));
        return { status: 200, body: { id: 8 } };
      },
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    const avro = { type: 'record', name: 'A', fields: [{ name: 'id', type: 'string' }] };
    expect(await client.register('p-value', Payment, 'JSON')).toBe(7);
    expect(await client.register('a-value', avro, 'AVRO')).toBe(8);
    expect(bodies).toEqual([
      { schema: JSON.stringify(Payment), schemaType: 'JSON' },
      { schema: JSON.stringify(avro) },
    ]);
  });

  it('refuses a schema that is not valid Avro before asking the registry', async () => {
    let asked = false;
    const fake = await fakeRegistry({
      'POST /subjects/a-value/versions': () => {
        asked = true;
        return { status: 200, body: { id: 1 } };
      },
    });
    server = fake.server;
    const client = new ConfluentSchemaRegistryClient({ url: fake.url });
    const broken = { type: 'record', name: 'A', fields: [{ name: 'id', type: 'no-such-type' }] };
    await expect(client.register('a-value', broken, 'AVRO')).rejects.toThrow('no-such-type');
    expect(asked).toBe(false);
  });
});
