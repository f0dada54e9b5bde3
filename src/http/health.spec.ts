import { Query } from '../decorators/query';
import { readQueries } from '../decorators/read-queries';
import { ConfigurationError } from '../errors/configuration-error';
import { SilentLogger } from '../logging/silent-logger';
import { QueryServer } from './query-server';
import type { PartitionLag, ReadinessCheck, ReadinessProvider } from './readiness-provider';

/** expect.stringContaining, typed so it can sit inside an object literal. */
const containing = (text: string): unknown => expect.stringContaining(text);

class FakeReadiness implements ReadinessProvider {
  ready = false;
  failChecks = false;
  lagResult: readonly PartitionLag[] = [{ topic: 'orders', partition: 0, lag: 12 }];
  lagFailure: Error | undefined;

  isReady(): boolean {
    if (this.failChecks) throw new Error('view registry gone');
    return this.ready;
  }
  checks(): readonly ReadinessCheck[] {
    return [
      { name: 'orders-view', ready: this.ready, detail: this.ready ? 'caught up' : '12 behind' },
    ];
  }
  lag(): Promise<readonly PartitionLag[]> {
    return this.lagFailure === undefined
      ? Promise.resolve(this.lagResult)
      : Promise.reject(this.lagFailure);
  }
}

const servers: QueryServer[] = [];
let readiness: FakeReadiness;
let url: string;

function newServer(): QueryServer {
  const server = new QueryServer({ logger: new SilentLogger() });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  readiness = new FakeReadiness();
  const server = newServer();
  server.mountHealth(readiness);
  ({ url } = await server.start());
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('health routes', () => {
  it('answers live while the server runs', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'live' } });
    await servers[0]?.stop();
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('answers ready 503, then 200, as the provider changes its mind', async () => {
    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: {
        status: 'not-ready',
        checks: [{ name: 'orders-view', ready: false, detail: '12 behind' }],
        lag: [{ topic: 'orders', partition: 0, lag: 12 }],
      },
    });
    readiness.ready = true;
    readiness.lagResult = [];
    expect(await get('/health/ready')).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: [{ name: 'orders-view', ready: true, detail: 'caught up' }],
        lag: [],
      },
    });
    readiness.ready = false;
    expect((await get('/health/ready')).status).toBe(503);
  });

  it('is not ready when lag cannot be read', async () => {
    readiness.ready = true;
    readiness.lagFailure = new Error('broker unreachable');
    const response = await get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'not-ready',
      checks: [
        { name: 'orders-view', ready: true },
        { name: 'lag', ready: false, detail: 'lag unavailable: broker unreachable' },
      ],
      lag: [],
    });
  });

  it('is not ready when the provider throws', async () => {
    readiness.failChecks = true;
    const response = await get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'not-ready',
      checks: [{ name: 'readiness', ready: false, detail: containing('view registry gone') }],
    });
  });

  it('refuses health routes twice, or a query on a health path', () => {
    const server = newServer();
    server.mountHealth(readiness);
    expect(() => server.mountHealth(readiness)).toThrow(ConfigurationError);
    class Clash {
      @Query('GET /health/live')
      live() {
        return 'mine';
      }
    }
    expect(() => server.mount('clash-service', new Clash(), readQueries(Clash))).toThrow(
      /clashes with a route of the health routes/,
    );
  });
});
