import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { ConfigurationError } from '../../errors/configuration-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import { ConfluentSchemaRegistryClient } from './confluent-schema-registry-client';

const TLS_DIR = join(__dirname, '../../../test/fixtures/tls');
const CERT = readFileSync(join(TLS_DIR, 'registry-cert.pem'), 'utf8');
const KEY = readFileSync(join(TLS_DIR, 'registry-key.pem'), 'utf8');
const PASSWORD = 'registry-pass-7f3a';
const BASIC = `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`;

const Payment = { type: 'object', properties: { id: { type: 'string' } } };

/** A registry that answers only requests logging in as svc, remembering what it was asked. */
function registryHandler(asked: string[]): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      asked.push(`${request.method} ${request.url}`);
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== BASIC) {
        send(401, { error_code: 401, message: 'Unauthorized' });
      } else if (request.method === 'GET' && request.url === '/subjects/p-value/versions/latest') {
        send(200, { subject: 'p-value', version: 3, id: 7, schema: JSON.stringify(Payment) });
      } else if (request.method === 'GET' && request.url === '/config/p-value') {
        send(200, { compatibilityLevel: 'BACKWARD' });
      } else if (request.method === 'POST' && request.url === '/subjects/p-value/versions') {
        send(200, { id: 7 });
      } else {
        send(404, { error_code: 404, message: 'no route' });
      }
    });
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('ConfluentSchemaRegistryClient with basic auth and TLS', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running !== undefined) await new Promise((resolve) => running.close(resolve));
  });

  it('logs in with basic auth on plain REST calls and on registration', async () => {
    const asked: string[] = [];
    server = createHttpServer(registryHandler(asked));
    const url = `http://127.0.0.1:${await listen(server)}`;
    const client = new ConfluentSchemaRegistryClient({
      url,
      auth: { username: 'svc', password: PASSWORD },
    });
    expect(await client.latestVersion('p-value')).toBe(3);
    expect(await client.register('p-value', Payment, 'JSON')).toBe(7);
    expect(asked).toContain('POST /subjects/p-value/versions');
  });

  it('fails a refused login with a message that names the fix and not the password', async () => {
    server = createHttpServer(registryHandler([]));
    const url = `http://127.0.0.1:${await listen(server)}`;
    const client = new ConfluentSchemaRegistryClient({
      url,
      auth: { username: 'svc', password: `${PASSWORD}-wrong` },
    });
    const failure = client.latestVersion('p-value');
    await expect(failure).rejects.toThrow(SchemaRegistryError);
    await expect(failure).rejects.toThrow(/HTTP 401.*schemaRegistry\.auth/);
    await expect(failure).rejects.not.toThrow(PASSWORD);
  });

  it('trusts a registry whose certificate the tls.ca option vouches for', async () => {
    server = createHttpsServer({ cert: CERT, key: KEY }, registryHandler([]));
    const url = `https://127.0.0.1:${await listen(server)}`;
    const auth = { username: 'svc', password: PASSWORD };
    const trusting = new ConfluentSchemaRegistryClient({ url, auth, tls: { ca: CERT } });
    expect(await trusting.latestVersion('p-value')).toBe(3);
    expect(await trusting.register('p-value', Payment, 'JSON')).toBe(7);

    const untrusting = new ConfluentSchemaRegistryClient({ url, auth });
    await expect(untrusting.latestVersion('p-value')).rejects.toThrow(/certificate/);
  });

  it('refuses a malformed login without showing the password', () => {
    const make = () =>
      new ConfluentSchemaRegistryClient({
        url: 'http://127.0.0.1:8081',
        auth: { username: 'svc', pasword: PASSWORD } as never,
      });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/auth.password must be/);
    expect(make).not.toThrow(PASSWORD);
  });
});
