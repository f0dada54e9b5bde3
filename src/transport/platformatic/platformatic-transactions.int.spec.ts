import { Consumer } from '@platformatic/kafka';

import { kafkaBrokers } from '../../../test/support/kafka-env';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { SilentLogger } from '../../logging/silent-logger';
import { resolvePlatformaticConfig } from './platformatic-config';
import { createTransactionalProducer, sendInTransaction } from './platformatic-transactions';
import { PlatformaticKafkaTransport } from './platformatic-transport';

describe('createTransactionalProducer', () => {
  const teardown = teardownAfterEach();

  it('takes over a transactional id an earlier producer used, aborting the transaction it left open', async () => {
    const brokers = kafkaBrokers();
    const topic = uniqueName('txn-takeover');
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({ brokers, logger: new SilentLogger() }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const id = uniqueName('txn-takeover-id');
    const record = (value: string) => ({ key: null, value: Buffer.from(value), partition: 0 });

    // Left open for far longer than this test: only the takeover can end it in time.
    const first = createTransactionalProducer(
      resolvePlatformaticConfig({ brokers, transactionTimeoutMs: 120_000 }),
      id,
    );
    try {
      const open = await first.beginTransaction();
      await sendInTransaction(open, [{ topic, records: [record('left open')] }]);
    } finally {
      await first.close();
    }

    // The client's default InitProducerId (producer 0, epoch 0) was refused: PRODUCER_FENCED.
    const second = teardown.add(
      'the second producer',
      createTransactionalProducer(resolvePlatformaticConfig({ brokers }), id),
      (p) => p.close(true),
    );
    const transaction = await second.beginTransaction();
    await sendInTransaction(transaction, [{ topic, records: [record('committed')] }]);
    await transaction.commit();

    // The read_committed end reaches the log end: the open transaction was aborted at once.
    const offsets = teardown.add(
      'the offsets consumer',
      new Consumer({
        clientId: 'txn-takeover-offsets',
        bootstrapBrokers: [...brokers],
        groupId: uniqueName('txn-takeover-offsets'),
      }),
      (c) => c.close(true),
    );
    const [logEnd] = await transport.endOffsets(topic);
    await waitFor(async () => {
      const committed = await offsets.listOffsets({ topics: [topic], isolationLevel: 1 });
      return committed.get(topic)?.[0] === BigInt(logEnd);
    }, 'the read_committed end at the log end');
  });
});
