import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordCollector } from '../../../test/support/record-collector';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { ConfigurationError } from '../../errors/configuration-error';
import { SilentLogger } from '../../logging/silent-logger';
import { resolvePlatformaticConfig } from './platformatic-config';
import {
  createTransactionalProducer,
  platformaticTransactionalId,
  sendInTransaction,
} from './platformatic-transactions';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/**
 * A killed exactly-once instance leaves its transaction open. With `instanceId`, the instance
 * started in its place takes over its transactional id, which aborts that transaction at once;
 * otherwise read_committed readers of its output wait for the transaction timeout (the resumed
 * `streamwise migrate` on this client wrote its records behind such a transaction, and a reader
 * that stopped at the stable end saw them missing).
 */
describe('PlatformaticKafkaTransport instanceId', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();
  const brokers = kafkaBrokers();
  /** Far beyond every wait below: only a fence can end the predecessor's transaction in time. */
  const PREDECESSOR_TIMEOUT_MS = 120_000;

  const record = (value: string) => ({
    key: Buffer.from('k'),
    value: Buffer.from(value),
    partition: 0,
  });

  async function connected(
    options: { instanceId?: string; groupProtocol?: 'classic' | 'consumer' } = {},
  ) {
    const transport = teardown.add(
      'a transport',
      new PlatformaticKafkaTransport({ brokers, logger: new SilentLogger(), ...options }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    return transport;
  }

  it.each(['classic', 'consumer'] as const)(
    'fences the transaction a killed instance of the same id left open, so its successor output is readable at once (group protocol %s)',
    async (groupProtocol) => {
      const source = uniqueName('instance-source');
      const target = uniqueName('instance-target');
      const group = uniqueName('instance-copy');
      const instanceId = 'copier';
      const admin = await connected();
      await admin.createTopics([
        { name: source, partitions: 1, compacted: false },
        { name: target, partitions: 1, compacted: false },
      ]);
      await admin.produce(source, [record('a'), record('b'), record('c')]);

      // The killed predecessor: an open transaction with a record in the target, never ended (a
      // closed client, like a killed process, sends no EndTxn).
      const predecessor = createTransactionalProducer(
        resolvePlatformaticConfig({ brokers, transactionTimeoutMs: PREDECESSOR_TIMEOUT_MS }),
        platformaticTransactionalId(group, instanceId),
      );
      try {
        const transaction = await predecessor.beginTransaction();
        await sendInTransaction(transaction, [
          { topic: target, records: [record('of the killed instance')] },
        ]);
      } finally {
        await predecessor.close();
      }

      const successor = await connected({ instanceId, groupProtocol });
      const copier = await successor.subscribe({
        groupId: group,
        topics: [source],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: async (delivered, output) => {
          await output.produce(target, [
            { key: delivered.key, value: delivered.value, partition: 0 },
          ]);
        },
      });
      teardown.add('the copier', copier, (s) => s.stop());

      const seen = new RecordCollector();
      const reader = await admin.subscribe({
        groupId: uniqueName('instance-reader'),
        topics: [target],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: seen.handle,
      });
      teardown.add('the reader', reader, (r) => r.stop());
      await waitFor(() => seen.records.length >= 3, 'the copied records, read_committed', {
        timeoutMs: 20_000,
      });
      expect(seen.records.map((r) => r.value?.toString())).toEqual(['a', 'b', 'c']);
    },
  );

  it('refuses a second exactly-once subscription of one group on one transport', async () => {
    const topic = uniqueName('instance-twice');
    const group = uniqueName('instance-twice-group');
    const transport = await connected({ instanceId: 'once' });
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const options = {
      groupId: group,
      topics: [topic],
      offsetReset: 'earliest' as const,
      exactlyOnce: true,
      handle: () => Promise.resolve(),
    };
    const first = await transport.subscribe(options);
    teardown.add('the first subscription', first, (s) => s.stop());
    await expect(transport.subscribe(options)).rejects.toThrow(ConfigurationError);
    await expect(transport.subscribe(options)).rejects.toThrow(/instanceId/);
    await first.stop();
    const again = await transport.subscribe(options);
    teardown.add('the subscription after the first stopped', again, (s) => s.stop());
  });
});
