import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordCollector } from '../../../test/support/record-collector';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { SilentLogger } from '../../logging/silent-logger';
import { resolvePlatformaticConfig } from './platformatic-config';
import { createTransactionalProducer, sendInTransaction } from './platformatic-transactions';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/**
 * A transaction nobody ends (its instance was killed) holds read_committed readers at its first
 * record until the broker aborts it: after transactionTimeoutMs, found by the broker's check for
 * timed-out transactions, which runs every 10 s by default.
 */
describe('PlatformaticKafkaTransport transactionTimeoutMs', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('is the timeout after which the broker aborts a transaction left open, and readers move past it', async () => {
    const topic = uniqueName('abandoned-txn');
    const brokers = kafkaBrokers();
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({ brokers, logger: new SilentLogger() }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);

    const config = resolvePlatformaticConfig({ brokers, transactionTimeoutMs: 2_000 });
    const producer = teardown.add(
      'the abandoned producer',
      createTransactionalProducer(config, `${uniqueName('abandoned')}-txn`),
      (p) => p.close(true),
    );
    const transaction = await producer.beginTransaction();
    const record = (value: string) => ({
      key: Buffer.from('k'),
      value: Buffer.from(value),
      partition: 0,
    });
    await sendInTransaction(transaction, [{ topic, records: [record('never committed')] }]);
    const started = Date.now();
    await transport.produce(topic, [record('after it')]);

    const seen = new RecordCollector();
    const reader = await transport.subscribe({
      groupId: uniqueName('reader'),
      topics: [topic],
      offsetReset: 'earliest',
      handle: seen.handle,
    });
    teardown.add('the reader', reader, (r) => r.stop());
    // With the 30 s request timeout as the transaction's (as before), this waited 30-40 s.
    await waitFor(() => seen.records.length > 0, 'the record after the open transaction', {
      timeoutMs: 25_000,
    });
    expect(seen.records.map((r) => r.value?.toString())).toEqual(['after it']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });
});
