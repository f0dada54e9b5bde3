import { createServer, type Server, type Socket } from 'node:net';

/** Kafka's api keys of the requests whose answers a test may withhold. */
export const ApiKeys = {
  PRODUCE: 0,
  INIT_PRODUCER_ID: 22,
  END_TXN: 26,
  TXN_OFFSET_COMMIT: 28,
} as const;

/**
 * A TCP proxy in front of one single-node broker on 127.0.0.1, for tests of what a client does
 * when the network fails at a chosen moment. Clients bootstrap from `address`; the proxy rewrites
 * the broker's own port in every answer (Metadata, FindCoordinator, DescribeCluster carry it next
 * to "127.0.0.1") to its own, so the client sends everything else through it too.
 *
 * `withholdAnswers(apiKey)` makes the broker still receive and carry out every request of that
 * kind while the client never gets the answer: the outcome a request timeout leaves unknown to
 * the client.
 *
 * With `delayMs`, every request and every answer is passed on that much later, in order: a link
 * with a round trip of twice that (the benchmark's BENCH_LINK_DELAY_MS).
 */
export class KafkaFaultProxy {
  readonly #server: Server;
  readonly #brokerPort: number;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #withholding: number | undefined;
  #until: number | undefined;
  #withheld = 0;
  readonly #delayMs: number;

  private constructor(brokerPort: number, delayMs: number) {
    this.#brokerPort = brokerPort;
    this.#delayMs = delayMs;
    this.#server = createServer((client) => this.#connect(client));
  }

  /** Listens on a free port of 127.0.0.1 in front of the broker at `broker` (host:port). */
  static async start(
    broker: string,
    options: { readonly delayMs?: number } = {},
  ): Promise<KafkaFaultProxy> {
    const [host, port] = broker.split(':');
    if (host !== '127.0.0.1' || port === undefined) {
      throw new Error(`KafkaFaultProxy needs a broker on 127.0.0.1, got "${broker}"`);
    }
    const proxy = new KafkaFaultProxy(Number(port), options.delayMs ?? 0);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.#port = (proxy.#server.address() as { port: number }).port;
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Answers dropped so far. */
  get withheld(): number {
    return this.#withheld;
  }

  /**
   * Drops the answers to requests of `apiKey` (see ApiKeys) from now on, every retry's too;
   * undefined: none. With `until`, answers flow again once a client sends a request of that kind
   * (e.g. InitProducerId: the client gave up and makes a new producer to settle the outcome).
   */
  withholdAnswers(apiKey: number | undefined, until?: number): void {
    this.#withholding = apiKey;
    this.#until = until;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(client: Socket): void {
    const broker: Socket = new (client.constructor as typeof Socket)();
    this.#track(client);
    this.#track(broker);
    const apiKeys = new Map<number, number>();
    const fromClient = new Frames((frame) => {
      // Request header: int16 api key, int16 api version, int32 correlation id.
      const apiKey = frame.readInt16BE(4);
      apiKeys.set(frame.readInt32BE(8), apiKey);
      if (apiKey === this.#until) this.withholdAnswers(undefined);
      this.#pass(broker, frame);
    });
    const fromBroker = new Frames((frame) => {
      const correlationId = frame.readInt32BE(4);
      const apiKey = apiKeys.get(correlationId);
      apiKeys.delete(correlationId);
      if (apiKey !== undefined && apiKey === this.#withholding) {
        this.#withheld++;
        return;
      }
      this.#pass(client, this.#rewritePorts(frame));
    });
    client.on('data', (chunk: Buffer) => fromClient.push(chunk));
    broker.on('data', (chunk: Buffer) => fromBroker.push(chunk));
    client.on('close', () => broker.destroy());
    broker.on('close', () => client.destroy());
    client.on('error', () => broker.destroy());
    broker.on('error', () => client.destroy());
    broker.connect(this.#brokerPort, '127.0.0.1');
  }

  /** Timers of one duration fire in the order they were set: frames keep their order. */
  #pass(to: Socket, frame: Buffer): void {
    if (this.#delayMs === 0) {
      to.write(frame);
      return;
    }
    setTimeout(() => {
      if (!to.destroyed) to.write(frame);
    }, this.#delayMs);
  }

  /** "127.0.0.1" followed by the broker's port as an int32 is where an answer names the broker. */
  #rewritePorts(frame: Buffer): Buffer {
    const host = Buffer.from('127.0.0.1');
    for (let at = frame.indexOf(host); at !== -1; at = frame.indexOf(host, at + host.length)) {
      const portAt = at + host.length;
      if (portAt + 4 <= frame.length && frame.readInt32BE(portAt) === this.#brokerPort) {
        frame.writeInt32BE(this.#port, portAt);
      }
    }
    return frame;
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
  }
}

/**
 * Splits a byte stream into Kafka's size-prefixed frames (int32 size, then that many bytes). A
 * frame's chunks are joined once it is complete: a fetch answer of megabytes arrives in many.
 */
class Frames {
  #chunks: Buffer[] = [];
  #length = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    while (this.#length >= 4) {
      const head = (this.#chunks[0]?.length ?? 0) >= 4 ? this.#chunks[0] : this.#joined();
      const end = 4 + (head?.readInt32BE(0) ?? 0);
      if (this.#length < end) return;
      const all = this.#joined();
      this.onFrame(Buffer.from(all.subarray(0, end)));
      const rest = all.subarray(end);
      this.#chunks = rest.length === 0 ? [] : [rest];
      this.#length = rest.length;
    }
  }

  #joined(): Buffer {
    const joined = this.#chunks.length === 1 ? this.#chunks[0] : undefined;
    if (joined !== undefined) return joined;
    const all = Buffer.concat(this.#chunks, this.#length);
    this.#chunks = [all];
    return all;
  }
}
