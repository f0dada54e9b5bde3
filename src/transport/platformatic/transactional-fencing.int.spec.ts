import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordCollector } from '../../../test/support/record-collector';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { SilentLogger } from '../../logging/silent-logger';
import { resolvePlatformaticConfig } from './platformatic-config';
import { createTransactionalProducer, sendInTransaction } from './platformatic-transactions';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/**
 * A transactional id taken over by a new producer (a restarted instance, a producer made again
 * after an abort) fences the old one at once: InitProducerId bumps the epoch and the coordinator
 * aborts the transaction the old one left open, instead of holding read_committed readers until
 * the transaction times out.
 */
describe('createTransactionalProducer for a transactional id that already has a producer', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('takes the id over, fencing the old producer and aborting its open transaction', async () => {
    const topic = uniqueName('fenced-txn');
    const brokers = kafkaBrokers();
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({ brokers, logger: new SilentLogger() }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    // Long enough that a reader could only get past the open transaction by its abort.
    const config = resolvePlatformaticConfig({ brokers, transactionTimeoutMs: 60_000 });
    const transactionalId = `${uniqueName('taken-over')}-txn`;
    const record = (value: string) => ({
      key: Buffer.from('k'),
      value: Buffer.from(value),
      partition: 0,
    });

    const old = teardown.add(
      'the old producer',
      createTransactionalProducer(config, transactionalId),
      (p) => p.close(true),
    );
    const open = await old.beginTransaction();
    await sendInTransaction(open, [{ topic, records: [record('left open')] }]);

    const next = teardown.add(
      'the new producer',
      createTransactionalProducer(config, transactionalId),
      (p) => p.close(true),
    );
    const transaction = await next.beginTransaction();
    await sendInTransaction(transaction, [{ topic, records: [record('committed')] }]);
    await transaction.commit();
    expect(next.producerId).toBe(old.producerId);
    expect(next.producerEpoch).toBeGreaterThan(old.producerEpoch ?? 0);

    const seen = new RecordCollector();
    const reader = await transport.subscribe({
      groupId: uniqueName('reader'),
      topics: [topic],
      offsetReset: 'earliest',
      handle: seen.handle,
    });
    teardown.add('the reader', reader, (r) => r.stop());
    await seen.waitForCount(1, 20_000);
    expect(seen.values()).toEqual(['committed']);
    await expect(
      sendInTransaction(open, [{ topic, records: [record('zombie')] }]),
    ).rejects.toThrow();
  });
});
