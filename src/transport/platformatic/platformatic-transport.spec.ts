import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

import { ConfigurationError } from '../../errors/configuration-error';
import { NotAKafkaBrokerError } from '../../errors/not-a-kafka-broker-error';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { TransportError } from '../../errors/transport-error';
import { SilentLogger } from '../../logging/silent-logger';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/** Listens on a free port of 127.0.0.1; returns its address and how to close it. */
async function listen(server: Server): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('PlatformaticKafkaTransport without a broker', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((listening) => listening.close()));
  });

  const connect = async (address: string, startupTimeoutMs = 60_000) => {
    const transport = new PlatformaticKafkaTransport({
      brokers: [address],
      logger: new SilentLogger(),
      startupTimeoutMs,
    });
    try {
      await transport.connect();
    } finally {
      await transport.disconnect();
    }
  };

  it('is a kafka transport and validates its options in the constructor', () => {
    expect(new PlatformaticKafkaTransport({ brokers: ['127.0.0.1:1'] }).kind).toBe('kafka');
    expect(() => new PlatformaticKafkaTransport({ brokers: [] })).toThrow(ConfigurationError);
  });

  it('refuses every operation before connect() with TransportClosedError', async () => {
    const transport = new PlatformaticKafkaTransport({
      brokers: ['127.0.0.1:1'],
      logger: new SilentLogger(),
    });
    const record = { key: null, value: null, partition: 0 };
    await expect(transport.produce('t', [record])).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.listTopics()).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.endOffsets('t')).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.restoreEndOffsets('t')).rejects.toBeInstanceOf(TransportClosedError);
    await expect(
      transport.subscribe({
        groupId: 'g',
        topics: ['t'],
        offsetReset: 'earliest',
        handle: () => Promise.resolve(),
      }),
    ).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.disconnect()).resolves.toBeUndefined();
  });

  // The client itself would wait on a listener that is not Kafka; this would take the whole
  // 60 s startupTimeoutMs, beyond the test's timeout.
  it('fails at once on an HTTP server, naming the address', async () => {
    const listening = await listen(createHttpServer((_request, response) => response.end('hello')));
    opened.push(listening);
    const failure = connect(listening.address);
    await expect(failure).rejects.toBeInstanceOf(NotAKafkaBrokerError);
    await expect(failure).rejects.toThrow(`${listening.address} is not a Kafka broker`);
  });

  it('waits for a closed port as for a broker still starting, then gives up retriably', async () => {
    const listening = await listen(createServer());
    await listening.close();
    const startedAt = Date.now();
    const failure = connect(listening.address, 1_500);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toMatchObject({ retriable: true });
    await expect(failure).rejects.toThrow(
      new RegExp(`gave up waiting for the Kafka broker at ${listening.address}`),
    );
    expect(Date.now() - startedAt).toBeLessThan(15_000);
  });
});
