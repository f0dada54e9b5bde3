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
 * What ends a transaction its producer left open (its instance was killed): the broker aborts it
 * after transactionTimeoutMs, found by its check for timed-out transactions (every 10 s by
 * default); a new producer of the same transactional id (a restarted instance, a producer made
 * again after an abort) fences the old one and has it aborted at once. Until then read_committed
 * readers wait at its first record.
 */
describe('PlatformaticKafkaTransport, a transaction left open', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();
  const brokers = kafkaBrokers();
  const record = (value: string) => ({
    key: Buffer.from('k'),
    value: Buffer.from(value),
    partition: 0,
  });

  async function topicOnTransport(
    prefix: string,
  ): Promise<{ transport: PlatformaticKafkaTransport; topic: string }> {
    const topic = uniqueName(prefix);
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({ brokers, logger: new SilentLogger() }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    return { transport, topic };
  }

  async function readCommitted(transport: PlatformaticKafkaTransport, topic: string) {
    const seen = new RecordCollector();
    const reader = await transport.subscribe({
      groupId: uniqueName('reader'),
      topics: [topic],
      offsetReset: 'earliest',
      handle: seen.handle,
    });
    teardown.add('the reader', reader, (r) => r.stop());
    return seen;
  }

  it('is aborted by the broker after transactionTimeoutMs, and readers move past it', async () => {
    const { transport, topic } = await topicOnTransport('abandoned-txn');
    const config = resolvePlatformaticConfig({ brokers, transactionTimeoutMs: 2_000 });
    const producer = teardown.add(
      'the abandoned producer',
      createTransactionalProducer(config, `${uniqueName('abandoned')}-txn`),
      (p) => p.close(true),
    );
    const transaction = await producer.beginTransaction();
    await sendInTransaction(transaction, [{ topic, records: [record('never committed')] }]);
    const started = Date.now();
    await transport.produce(topic, [record('after it')]);

    const seen = await readCommitted(transport, topic);
    // With the 30 s request timeout as the transaction's (as before), this waited 30-40 s.
    await waitFor(() => seen.records.length > 0, 'the record after the open transaction', {
      timeoutMs: 25_000,
    });
    expect(seen.records.map((r) => r.value?.toString())).toEqual(['after it']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('is aborted at once when a new producer takes its transactional id over', async () => {
    const { transport, topic } = await topicOnTransport('fenced-txn');
    // Long enough that a reader could only get past the open transaction by its abort.
    const config = resolvePlatformaticConfig({ brokers, transactionTimeoutMs: 60_000 });
    const transactionalId = `${uniqueName('taken-over')}-txn`;
    const old = teardown.add(
      'the old producer',
      createTransactionalProducer(config, transactionalId),
      (p) => p.close(true),
    );
    const open = await old.beginTransaction();
    await sendInTransaction(open, [{ topic, records: [record('left open')] }]);

    // The client's own InitProducerId (producer 0, epoch 0) was refused here: PRODUCER_FENCED.
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

    const seen = await readCommitted(transport, topic);
    await seen.waitForCount(1, 20_000);
    expect(seen.values()).toEqual(['committed']);
    await expect(
      sendInTransaction(open, [{ topic, records: [record('zombie')] }]),
    ).rejects.toThrow();
  });
});
