import { createServer, type Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

import { KafkaFaultProxy } from './kafka-fault-proxy';

/** A request frame: size, api key 3 (Metadata), version 0, the correlation id, then `body`. */
function request(correlationId: number, body: Buffer): Buffer {
  const frame = Buffer.alloc(12 + body.length);
  frame.writeInt32BE(8 + body.length, 0);
  frame.writeInt16BE(3, 4);
  frame.writeInt16BE(0, 6);
  frame.writeInt32BE(correlationId, 8);
  body.copy(frame, 12);
  return frame;
}

/** Collects whole frames from a byte stream (size-prefixed). */
function framesOf(socket: Socket, onFrame: (frame: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const end = 4 + buffered.readInt32BE(0);
      onFrame(buffered.subarray(0, end));
      buffered = buffered.subarray(end);
    }
  });
}

/** A stand-in broker: answers every request with its correlation id and the request's body. */
async function echoBroker(): Promise<{ server: Server; port: number; requests: Buffer[] }> {
  const requests: Buffer[] = [];
  const server = createServer((socket) => {
    framesOf(socket, (frame) => {
      requests.push(Buffer.from(frame));
      const body = frame.subarray(12);
      const answer = Buffer.alloc(8 + body.length);
      answer.writeInt32BE(4 + body.length, 0);
      answer.writeInt32BE(frame.readInt32BE(8), 4);
      body.copy(answer, 8);
      socket.write(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, port, requests };
}

async function connect(address: string): Promise<Socket> {
  const [host, port] = address.split(':');
  const socket = new Socket();
  await new Promise<void>((resolve) => socket.connect(Number(port), host ?? '', resolve));
  return socket;
}

describe('KafkaFaultProxy', () => {
  let broker: Awaited<ReturnType<typeof echoBroker>>;
  let proxy: KafkaFaultProxy | undefined;
  let client: Socket | undefined;

  beforeEach(async () => {
    broker = await echoBroker();
  });

  afterEach(async () => {
    client?.destroy();
    await proxy?.close();
    await new Promise<void>((resolve) => broker.server.close(() => resolve()));
    client = undefined;
    proxy = undefined;
  });

  it('passes frames that arrive in many chunks on whole and in order', async () => {
    proxy = await KafkaFaultProxy.start(`127.0.0.1:${broker.port}`);
    client = await connect(proxy.address);
    const answers: number[] = [];
    const answered = new Promise<void>((resolve) => {
      framesOf(client as Socket, (frame) => {
        answers.push(frame.readInt32BE(4));
        if (answers.length === 2) resolve();
      });
    });
    const large = request(1, Buffer.alloc(200_000, 7));
    for (let at = 0; at < large.length; at += 1_000) client.write(large.subarray(at, at + 1_000));
    client.write(request(2, Buffer.from('small')));
    await answered;
    expect(answers).toEqual([1, 2]);
    expect(broker.requests.map((frame) => frame.length)).toEqual([large.length, 12 + 5]);
    expect(broker.requests[0]?.equals(large)).toBe(true);
  });

  it('with delayMs, passes each request and each answer on that much later', async () => {
    proxy = await KafkaFaultProxy.start(`127.0.0.1:${broker.port}`, { delayMs: 30 });
    client = await connect(proxy.address);
    const answered = new Promise<number>((resolve) => {
      framesOf(client as Socket, (frame) => resolve(frame.readInt32BE(4)));
    });
    const sent = performance.now();
    client.write(request(9, Buffer.from('x')));
    expect(await answered).toBe(9);
    // Two delays: the request's on the way in, the answer's on the way out (less a millisecond of
    // timer rounding each: libuv's clock counts whole milliseconds).
    expect(performance.now() - sent).toBeGreaterThanOrEqual(58);
  });
});
