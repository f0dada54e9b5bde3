import { createServer, type Server, Socket } from 'node:net';

import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { TransportError } from '../errors/transport-error';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { StreamwiseApp } from './streamwise-app';

/** A port nothing listens on (yet): bound once by the OS, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Forwards `port` to the real broker, as a broker coming up at that address would answer. */
async function forward(port: number, target: string): Promise<{ close(): Promise<void> }> {
  const [host, targetPort] = target.split(':');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(Number(targetPort), host ?? '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('start() while the broker is down', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('fails after startupTimeoutMs with a clear error, and the same app starts once the broker is there', async () => {
    const Pings = defineTopic<{ id: string }>({
      name: uniqueName('pings'),
      entity: 'Ping',
      key: (p) => p.id,
    });

    @Service(uniqueName('ping-service').toLowerCase())
    @OwnsTopic(Pings)
    class PingService extends StreamService {
      @EventHandler(Pings)
      ping(): void {}
    }

    const port = await freePort();
    const app = teardown.add(
      'an app',
      StreamwiseApp.create({
        services: [PingService],
        transport: new KafkaTransport({
          brokers: [`127.0.0.1:${port}`],
          logger: new SilentLogger(),
          startupTimeoutMs: 2_000,
        }),
        logger: new SilentLogger(),
        http: false,
      }),
      (started) => started.stop(),
    );

    const startedAt = Date.now();
    const failure = app.start();
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(
      new RegExp(
        `gave up waiting for the Kafka broker at 127\\.0\\.0\\.1:${port} after \\d+ ms .*startupTimeoutMs`,
      ),
    );
    expect(Date.now() - startedAt).toBeLessThan(6_000);
    expect(app.state).toBe('created');

    const [broker] = kafkaBrokers();
    teardown.add('a forwarder', await forward(port, broker ?? ''), (proxy) => proxy.close());
    await app.start();
    expect(app.state).toBe('running');
    expect(app.subscriptionOf(PingService)?.assignment().length).toBeGreaterThan(0);
  });
});
