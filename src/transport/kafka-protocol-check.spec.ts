import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

import { NotAKafkaBrokerError } from '../errors/not-a-kafka-broker-error';
import { TransportError } from '../errors/transport-error';
import { SilentLogger } from '../logging/silent-logger';
import { KafkaTransport } from './kafka/kafka-transport';
import { checkKafkaProtocol } from './kafka-protocol-check';

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

describe('brokers that do not speak Kafka', () => {
  const opened: { close(): Promise<void> }[] = [];
  const start = async (server: Server) => {
    const listening = await listen(server);
    opened.push(listening);
    return listening.address;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  const connect = async (address: string, options: { startupTimeoutMs?: number } = {}) => {
    const transport = new KafkaTransport({
      brokers: [address],
      logger: new SilentLogger(),
      startupTimeoutMs: 60_000,
      ...options,
    });
    try {
      await transport.connect();
    } finally {
      await transport.disconnect();
    }
  };

  // Each case would take the whole 60 s startupTimeoutMs (beyond this test's timeout) if the
  // transport still waited on a listener that is not Kafka.
  it('fails at once on an HTTP server, naming the address and where to fix it', async () => {
    const address = await start(createHttpServer((_request, response) => response.end('hello')));
    const failure = connect(address);
    await expect(failure).rejects.toBeInstanceOf(NotAKafkaBrokerError);
    await expect(failure).rejects.toThrow(
      `${address} is not a Kafka broker: it answered "HTTP/1.1 400 Bad Request"`,
    );
    await expect(failure).rejects.toThrow(/brokers.*KAFKA_BROKERS.*-b\/--brokers/);
    await expect(failure).rejects.toMatchObject({ retriable: false, address });
  });

  it('fails on a listener that closes the connection without answering', async () => {
    const address = await start(createServer((socket) => socket.end()));
    await expect(connect(address)).rejects.toThrow(
      `${address} is not a Kafka broker: it closed the connection without answering a Kafka request`,
    );
  });

  it('fails on a listener that stays silent, after the request timeout', async () => {
    const address = await start(createServer(() => undefined));
    await expect(
      checkKafkaProtocol([address], { connectTimeoutMs: 1_000, answerTimeoutMs: 300 }),
    ).rejects.toThrow(
      `${address} is not a Kafka broker: it accepted a connection but did not answer a Kafka ApiVersions request within 300 ms`,
    );
  });

  it('passes a listener that answers with a Kafka response frame', async () => {
    const address = await start(
      createServer((socket) =>
        socket.once('data', (request: Buffer) => {
          const answer = Buffer.alloc(14);
          answer.writeInt32BE(10, 0);
          request.copy(answer, 4, 8, 12); // the request's correlation id
          socket.end(answer);
        }),
      ),
    );
    await expect(
      checkKafkaProtocol([address], { connectTimeoutMs: 1_000, answerTimeoutMs: 5_000 }),
    ).resolves.toBeUndefined();
  });

  it('waits for a closed port as for a broker still starting, then names where to fix it', async () => {
    const closed = await start(createServer());
    await opened.pop()?.close();
    await expect(
      checkKafkaProtocol([closed], { connectTimeoutMs: 1_000, answerTimeoutMs: 1_000 }),
    ).resolves.toBeUndefined();
    const failure = connect(closed, { startupTimeoutMs: 1_500 });
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(
      new RegExp(`gave up waiting for the Kafka broker at ${closed}.*KAFKA_BROKERS`),
    );
  });
});
