import { kafkaBrokers } from '../../test/support/kafka-env';
import { recordBatchCodecs } from '../../test/support/record-batch-codecs';
import { RecordCollector } from '../../test/support/record-collector';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { SilentLogger } from '../logging/silent-logger';
import { KafkaTransport } from './kafka/kafka-transport';
import type { KafkaCompression } from './kafka-compression';
import { PlatformaticKafkaTransport } from './platformatic/platformatic-transport';
import type { DeliveredRecord, OutgoingRecord, RecordOutput, Transport } from './transport';

const RECORDS = 20;

type Client = 'platformatic' | 'kafkajs';

function transportWith(client: Client, codec: KafkaCompression): Transport {
  const common = {
    brokers: kafkaBrokers(),
    clientId: uniqueName(`compression-${codec}`),
    logger: new SilentLogger(),
    consumer: { maxWaitTimeMs: 100 },
  };
  if (client === 'platformatic') {
    return new PlatformaticKafkaTransport({ ...common, producer: { compression: codec } });
  }
  return new KafkaTransport({ ...common, producer: { compression: codec } });
}

/** Records with keys and streamwise-like headers: what a compressed batch must carry intact. */
function records(prefix: string): OutgoingRecord[] {
  return Array.from({ length: RECORDS }, (_, index) => ({
    key: Buffer.from(`key-${index}`),
    value: Buffer.from(JSON.stringify({ prefix, index })),
    headers: { 'sw-event-type': 'Compressed', 'sw-event-id': `${prefix}-${index}` },
    partition: 0,
  }));
}

/** Key, value and event id of a record, written or delivered. */
function summary(record: Pick<OutgoingRecord, 'key' | 'value' | 'headers'>): string {
  return `${record.key?.toString() ?? ''}=${record.value?.toString() ?? ''} ${record.headers?.['sw-event-id'] ?? ''}`;
}

describe('producer.compression, on the real broker', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  const connected = async (transport: Transport): Promise<Transport> => {
    teardown.add('the transport', transport, (t) => t.disconnect());
    await transport.connect();
    return transport;
  };

  const readBack = async (transport: Transport, topic: string): Promise<string[]> => {
    const collector = new RecordCollector();
    teardown.add(
      'the reader',
      await transport.subscribe({
        groupId: uniqueName('compression-reader'),
        topics: [topic],
        offsetReset: 'earliest',
        handle: collector.handle,
      }),
      (subscription) => subscription.stop(),
    );
    return (await collector.waitForCount(RECORDS)).map(summary);
  };

  // Each codec written by one client and read by the other (and by itself for `none`): kafkajs
  // reads snappy and lz4 only through the codecs streamwise registers.
  it.each<[Client, KafkaCompression, Client]>([
    ['platformatic', 'gzip', 'kafkajs'],
    ['platformatic', 'snappy', 'kafkajs'],
    ['platformatic', 'lz4', 'kafkajs'],
    ['kafkajs', 'gzip', 'platformatic'],
    ['kafkajs', 'snappy', 'platformatic'],
    ['kafkajs', 'lz4', 'platformatic'],
    ['platformatic', 'none', 'platformatic'],
  ])(
    '%s with %s writes batches in that codec; %s reads them back with keys, values and headers intact',
    async (writer, codec, reader) => {
      const transport = await connected(transportWith(writer, codec));
      const topic = uniqueName(`compressed-${codec}`);
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      const written = records(codec);
      await transport.produce(topic, written);

      const codecs = await recordBatchCodecs(kafkaBrokers(), topic, 0);
      expect(codecs.length).toBeGreaterThan(0);
      expect(new Set(codecs)).toEqual(new Set([codec]));
      const readBy = await connected(transportWith(reader, 'none'));
      expect(await readBack(readBy, topic)).toEqual(written.map(summary));
    },
  );

  it("compresses an exactly-once subscription's outputs too (its transactional producer)", async () => {
    const transport = await connected(transportWith('platformatic', 'lz4'));
    const input = uniqueName('compressed-eos-in');
    const output = uniqueName('compressed-eos-out');
    await transport.createTopics([
      { name: input, partitions: 1, compacted: false },
      { name: output, partitions: 1, compacted: false },
    ]);
    await transport.produce(input, records('eos'));
    const groupId = uniqueName('compressed-eos');
    teardown.add(
      'the relay',
      await transport.subscribe({
        groupId,
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: async (record: DeliveredRecord, out: RecordOutput): Promise<void> => {
          await out.produce(output, [{ key: record.key, value: record.value, partition: 0 }]);
        },
      }),
      (subscription) => subscription.stop(),
    );
    // A transaction's offsets become visible when it commits, with its outputs.
    await waitFor(
      async () => (await transport.committedOffsets(groupId, input))[0] === RECORDS,
      `${RECORDS} records relayed and committed`,
    );
    expect(new Set(await recordBatchCodecs(kafkaBrokers(), output, 0))).toEqual(new Set(['lz4']));
  });
});
