import { once } from 'node:events';
import { performance } from 'node:perf_hooks';

import { Consumer, type Message, Producer } from '@platformatic/kafka';

import type { EnvelopeHeaders } from '../src';
import { KAFKA_DEFAULTS } from '../src/kafka';
import { type BenchContext, runName } from './context';
import type { RunResult } from './measure';
import { endOffsetSum } from './progress';
import {
  duplicatesNote,
  envelopeHeaders,
  outputReached,
  prepareRelay,
  withAdmin,
} from './relay-support';

/**
 * The most records one send carries. The client writes all of a send's records for a partition as
 * one record batch, which the broker refuses above message.max.bytes (1 MiB by default), and a
 * drained chunk is mostly one partition's: a whole fetch sent at once (BENCH_RECORDS=60000 and
 * up, with the envelope's headers) exceeded it.
 */
const SEND_LIMIT = 2_000;

type Messages = ReturnType<Consumer['consume']> extends Promise<infer S> ? S : never;

/**
 * The second client's raw relay, written as its README suggests (a consume stream) but batched
 * like the kafkajs baseline: whatever the stream has buffered goes out in sends of up to
 * SEND_LIMIT records (acks=all, idempotent), then the last offset of each partition in it is
 * committed. With `envelope` 'single' or 'separate', every output also carries streamwise's
 * envelope, in one header or four (the names' bytes made once, the values' per record): what the
 * client's encoding of it costs.
 */
export async function rawPlatformaticRelay(
  context: BenchContext,
  run: string,
  envelope: 'none' | EnvelopeHeaders = 'none',
): Promise<RunResult> {
  const count = context.config.relayRecords;
  const scenario =
    envelope === 'none' ? 'relay-platformatic' : `relay-platformatic-env-${envelope}`;
  const { input, output, group } = await prepareRelay(context, scenario, run, count);
  const bootstrapBrokers = [...context.config.brokers];
  const clientId = runName(context, scenario, run, 'client');
  return withAdmin(context, async (admin) => {
    await context.profiles.start();
    const start = performance.now();
    const consumer = new Consumer({
      clientId,
      bootstrapBrokers,
      groupId: group,
      maxWaitTime: KAFKA_DEFAULTS.maxWaitTimeMs,
    });
    const producer = new Producer({ clientId, bootstrapBrokers, idempotent: true, acks: -1 });
    let stopped = false;
    let relaying: Promise<void> = Promise.resolve();
    try {
      const stream = await consumer.consume({
        topics: [input],
        mode: 'committed',
        fallbackMode: 'earliest',
        autocommit: false,
      });
      const headers =
        envelope === 'none'
          ? undefined
          : (message: Message) => headerBytes(group, message, envelope);
      relaying = relay(stream, producer, output, () => stopped, headers);
      await outputReached(context, admin, output, count);
      const ms = performance.now() - start;
      await context.profiles.stop(runName(context, scenario, run));
      return { records: count, ms, note: duplicatesNote(await endOffsetSum(admin, output), count) };
    } finally {
      stopped = true;
      await settled((done) => consumer.close(true, done));
      await relaying;
      await producer.close();
    }
  });
}

async function relay(
  stream: Messages,
  producer: Producer,
  output: string,
  stopped: () => boolean,
  headers?: (message: Message) => Map<Buffer, Buffer>,
): Promise<void> {
  const ended = once(stream, 'close').catch(() => undefined);
  while (!stopped()) {
    const messages: Message[] = [];
    for (let message = stream.read() as Message | null; message !== null;) {
      messages.push(message);
      message = stream.read() as Message | null;
    }
    if (messages.length === 0) {
      await Promise.race([once(stream, 'readable'), ended]);
      continue;
    }
    for (let from = 0; from < messages.length; from += SEND_LIMIT) {
      await producer.send({
        messages: messages.slice(from, from + SEND_LIMIT).map((message) => ({
          topic: output,
          key: message.key,
          value: message.value,
          headers: headers === undefined ? message.headers : headers(message),
          partition: message.partition,
        })),
      });
    }
    const last = new Map<number, Message>();
    for (const message of messages) last.set(message.partition, message);
    await Promise.all(
      [...last.values()].map((message) =>
        settled((done) => {
          void message.commit(done);
        }),
      ),
    );
  }
}

/** The client's callback form, awaited (its promise-returning overloads are not the ones typed). */
function settled(call: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    call((error) => (error ? reject(error) : resolve()));
  });
}

const NAME_BYTES = new Map<string, Buffer>();

function headerBytes(
  producer: string,
  message: Message,
  envelope: EnvelopeHeaders,
): Map<Buffer, Buffer> {
  const text = envelopeHeaders(producer, message.key, message.offset.toString(), envelope);
  const bytes = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(text)) {
    let nameBytes = NAME_BYTES.get(name);
    if (nameBytes === undefined) NAME_BYTES.set(name, (nameBytes = Buffer.from(name)));
    bytes.set(nameBytes, Buffer.from(value));
  }
  return bytes;
}
