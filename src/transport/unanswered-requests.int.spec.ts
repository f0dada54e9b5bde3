import { kafkaBrokers } from '../../test/support/kafka-env';
import { ApiKeys, KafkaFaultProxy } from '../../test/support/kafka-fault-proxy';
import { RecordCollector } from '../../test/support/record-collector';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { SilentLogger } from '../logging/silent-logger';
import { KafkaTransport } from './kafka/kafka-transport';
import { PlatformaticKafkaTransport } from './platformatic/platformatic-transport';
import type { OutgoingRecord, Transport } from './transport';

/**
 * A produce the broker wrote but never answered (the answer lost, the request timed out): the
 * client cannot know the records are in the log. An idempotent producer numbers each partition's
 * records; if it moves that number only on an answer (@platformatic/kafka does), the next send
 * carries the written one's sequence numbers again without a new producer id: the broker takes it
 * for a retry of the written send (same count: acknowledged, its records dropped) or refuses it
 * as out of order (another count: every later send to that partition refused too).
 */
const clients: [string, (brokers: string[]) => Transport][] = [
  [
    'PlatformaticKafkaTransport',
    (brokers) =>
      new PlatformaticKafkaTransport({
        brokers,
        logger: new SilentLogger(),
        requestTimeoutMs: 1_000,
        retry: { retries: 1, retryDelayMs: 100 },
      }),
  ],
  [
    'KafkaTransport',
    (brokers) =>
      new KafkaTransport({
        brokers,
        logger: new SilentLogger(),
        requestTimeoutMs: 1_000,
        retry: { retries: 1, initialRetryTimeMs: 100 },
        // kafkajs retries a transaction's send 10 times whatever `retry` says (about 13 s here):
        // the member must outlive that, or a rebalance hides what the abort leaves behind.
        consumer: { sessionTimeoutMs: 45_000 },
      }),
  ],
];

describe.each(clients)('%s after a produce the broker wrote but never answered', (_, create) => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  const record = (value: string): OutgoingRecord => ({
    key: Buffer.from('k'),
    value: Buffer.from(value),
    partition: 0,
  });

  async function setUp(): Promise<{
    proxy: KafkaFaultProxy;
    transport: Transport;
    direct: Transport;
    topic: string;
    log: () => Promise<string[]>;
  }> {
    const proxy = teardown.add('the proxy', await KafkaFaultProxy.start(kafkaBrokers()[0]), (p) =>
      p.close(),
    );
    const transport = teardown.add('the transport behind the proxy', create([proxy.address]), (t) =>
      t.disconnect(),
    );
    const direct = teardown.add(
      'the transport that reads the log',
      new PlatformaticKafkaTransport({ brokers: kafkaBrokers(), logger: new SilentLogger() }),
      (t) => t.disconnect(),
    );
    await Promise.all([transport.connect(), direct.connect()]);
    const topic = uniqueName('unanswered-produce');
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const log = async () => {
      const [end] = await direct.endOffsets(topic);
      const seen = new RecordCollector();
      const reader = await direct.subscribe({
        groupId: uniqueName('log-reader'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: seen.handle,
      });
      try {
        await seen.waitForCount(end);
      } finally {
        await reader.stop();
      }
      return seen.values();
    };
    return { proxy, transport, direct, topic, log };
  }

  async function loseAnswerOf(proxy: KafkaFaultProxy, send: Promise<unknown>): Promise<void> {
    proxy.withholdAnswers(ApiKeys.PRODUCE);
    await expect(send).rejects.toThrow();
    proxy.withholdAnswers(undefined);
    expect(proxy.withheld).toBeGreaterThan(0);
  }

  it('writes the next send of as many records, instead of taking it for a retry', async () => {
    const { proxy, transport, topic, log } = await setUp();
    await transport.produce(topic, [record('before')]);
    await loseAnswerOf(proxy, transport.produce(topic, [record('a1'), record('a2')]));

    await transport.produce(topic, [record('b1'), record('b2')]);

    expect(await log()).toEqual(['before', 'a1', 'a2', 'b1', 'b2']);
  });

  it('writes the next send of another count, and every send after it', async () => {
    const { proxy, transport, topic, log } = await setUp();
    await loseAnswerOf(proxy, transport.produce(topic, [record('a1'), record('a2')]));

    await transport.produce(topic, [record('c1')]);
    await transport.produce(topic, [record('c2'), record('c3'), record('c4')]);

    expect(await log()).toEqual(['a1', 'a2', 'c1', 'c2', 'c3', 'c4']);
  });

  /**
   * A relay from the set-up topic to a new output topic, through the proxy, and a reader of its
   * output. Once the first input's output was read (its producer is initialised, and with
   * exactly-once has committed a transaction), the answers to `apiKey` requests are withheld
   * while two more inputs are relayed, every retry's too, until the transport gives up and asks
   * for a new producer id. Resolves once the output of a fourth input, written after the fault,
   * was read: on one partition, an output of the inputs before it would have been read by then.
   */
  async function relayPastLostAnswers(exactlyOnce: boolean, apiKey: number) {
    const { proxy, transport, direct, topic: input } = await setUp();
    const output = uniqueName('unanswered-produce-out');
    await direct.createTopics([{ name: output, partitions: 1, compacted: false }]);
    const relay = await transport.subscribe({
      groupId: uniqueName('relay'),
      topics: [input],
      offsetReset: 'earliest',
      exactlyOnce,
      handle: (delivered, out) =>
        out.produce(output, [record(`out-${delivered.value?.toString() ?? ''}`)]),
    });
    teardown.add('the relay', relay, (r) => r.stop());
    const seen = new RecordCollector();
    const reader = await direct.subscribe({
      groupId: uniqueName('output-reader'),
      topics: [output],
      offsetReset: 'earliest',
      handle: seen.handle,
    });
    teardown.add('the output reader', reader, (r) => r.stop());
    await direct.produce(input, [record('v0')]);
    await seen.waitForCount(1);

    proxy.withholdAnswers(apiKey, ApiKeys.INIT_PRODUCER_ID);
    await direct.produce(input, [record('v1'), record('v2')]);
    await waitFor(() => proxy.withheld > 0, 'an answer withheld');
    await direct.produce(input, [record('v3')]);
    await waitFor(
      () => seen.values().includes('out-v3'),
      'the output of the input written after the fault',
    );
    return { direct, input, relay, seen };
  }

  it('relays at least once when the answer to an output send is lost: every input has its output', async () => {
    const { direct, input, relay, seen } = await relayPastLostAnswers(false, ApiKeys.PRODUCE);
    // The records of the unanswered send may be in the log and are sent again: at least once.
    expect(new Set(seen.values())).toEqual(new Set(['out-v0', 'out-v1', 'out-v2', 'out-v3']));
    await waitFor(
      async () => (await direct.committedOffsets(relay.groupId, input))[0] === 4,
      'the relay to commit every input',
    );
  });

  const requests: [string, number][] = [
    ['Produce', ApiKeys.PRODUCE],
    ['TxnOffsetCommit', ApiKeys.TXN_OFFSET_COMMIT],
    ['EndTxn', ApiKeys.END_TXN],
  ];

  it.each(requests)(
    "relays exactly once when the answers to a transaction's %s requests are lost",
    async (_request, apiKey) => {
      const { direct, input, relay, seen } = await relayPastLostAnswers(true, apiKey);
      expect(seen.values()).toEqual(['out-v0', 'out-v1', 'out-v2', 'out-v3']);
      expect(await direct.committedOffsets(relay.groupId, input)).toEqual([4]);
    },
  );
});
