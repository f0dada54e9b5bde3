import { Socket } from 'node:net';

import { NotAKafkaBrokerError } from '../errors/not-a-kafka-broker-error';

/** ApiVersions v0: the request every Kafka client sends first, which any broker answers. */
const API_VERSIONS = 18;
const CORRELATION_ID = 0x5357_0001;
/** Larger than any ApiVersions answer: a "size" beyond it is text (e.g. "HTTP") or noise. */
const MAX_ANSWER_BYTES = 1_048_576;

export interface KafkaProtocolCheckOptions {
  /** How long to wait for the TCP connection (the transport's connectionTimeoutMs). */
  readonly connectTimeoutMs: number;
  /** How long a connected listener may take to answer (the transport's requestTimeoutMs). */
  readonly answerTimeoutMs: number;
}

/**
 * Sends each broker address one ApiVersions request over plain TCP and checks that what answers
 * is Kafka. kafkajs cannot tell an HTTP server from a broker that is still starting, so a wrong
 * port waited out the whole start-up timeout and then said only "Broker not connected".
 * Throws NotAKafkaBrokerError for a listener that answers with something else, closes the
 * connection without answering, or stays silent; an address where nothing listens (yet) passes,
 * so start-up still waits for a broker that is starting. Skip it for TLS listeners.
 */
export async function checkKafkaProtocol(
  brokers: readonly string[],
  options: KafkaProtocolCheckOptions,
): Promise<void> {
  await Promise.all(brokers.map((address) => checkOne(address, options)));
}

function checkOne(address: string, options: KafkaProtocolCheckOptions): Promise<void> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let answer = Buffer.alloc(0);
    let connected = false;
    const finish = (error?: Error): void => {
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    socket.setTimeout(options.connectTimeoutMs);
    socket.once('timeout', () =>
      connected
        ? finish(
            new NotAKafkaBrokerError(
              address,
              `it accepted a connection but did not answer a Kafka ApiVersions request within ${options.answerTimeoutMs} ms`,
            ),
          )
        : finish(),
    );
    // Nothing listens, or the host does not resolve: the connection attempt itself reports that.
    socket.once('error', () => finish());
    socket.once('connect', () => {
      connected = true;
      socket.setTimeout(options.answerTimeoutMs);
      socket.write(apiVersionsRequest());
    });
    socket.on('data', (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length < 8) return;
      const size = answer.readInt32BE(0);
      if (size >= 4 && size <= MAX_ANSWER_BYTES && answer.readInt32BE(4) === CORRELATION_ID) {
        finish();
      } else {
        finish(new NotAKafkaBrokerError(address, `it answered ${describeBytes(answer)}`));
      }
    });
    socket.once('end', () =>
      finish(
        new NotAKafkaBrokerError(
          address,
          answer.length === 0
            ? 'it closed the connection without answering a Kafka request'
            : `it answered ${describeBytes(answer)} and closed the connection`,
        ),
      ),
    );
    socket.connect(port, host);
  });
}

function apiVersionsRequest(): Buffer {
  const clientId = Buffer.from('streamwise-probe', 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(API_VERSIONS, 0);
  header.writeInt16BE(0, 2); // version 0: every broker since 0.10 answers it
  header.writeInt32BE(CORRELATION_ID, 4);
  header.writeInt16BE(clientId.length, 8);
  const body = Buffer.concat([header, clientId]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** The first bytes as text when printable (`"HTTP/1.1 400 Bad Request"`), else as hex. */
function describeBytes(bytes: Buffer): string {
  const head = bytes.subarray(0, 40);
  const text = head.toString('latin1').split(/\r?\n/)[0];
  return /^[\x20-\x7e]+$/.test(text)
    ? `"${text}"`
    : `bytes ${head.subarray(0, 16).toString('hex')}`;
}

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? 'localhost' : host, port: Number(address.slice(at + 1)) };
}
