import { kafkaBrokers } from '../../test/support/kafka-env';
import { connectedAdmin } from '../../test/support/kafkajs-admin';
import { openTransaction } from '../../test/support/open-transaction';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { SilentLogger } from '../logging/silent-logger';
import { PlatformaticKafkaTransport } from '../transport/platformatic/platformatic-transport';
import type { Transport } from '../transport/transport';
import { restoreChangelog } from './changelog-restorer';

/**
 * A changelog's last transaction may have committed while its commit markers are still being
 * written (EndTxn answers before they are): until they are, the read_committed end stops before
 * its records. A restore that ended there would start the task without them: its state would miss
 * writes that are committed, as are the input offsets after them. So a restore reads to the log
 * end, which waits for a transaction in progress to end. (kafkajs can list only the
 * read_committed end: KafkaTransport's restores end there.)
 */
describe('restoreChangelog on @platformatic/kafka', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('ends at the log end: the records of a transaction committed after the restore began are restored', async () => {
    const topic = uniqueName('changelog');
    const { kafka, admin } = await connectedAdmin(teardown, 'restorer-int');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const plain = teardown.add('the producer', kafka.producer(), (p) => p.disconnect());
    await plain.connect();
    await plain.send({ topic, messages: [{ key: 'a', value: '1' }] });
    const open = await openTransaction(kafka, teardown, topic, [{ key: 'a', value: '2' }]);

    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    // Commits the transaction as soon as the restore has looked up where to end.
    let endLookedUp!: () => void;
    const lookedUp = new Promise<void>((resolve) => (endLookedUp = resolve));
    const watched = new Proxy(transport, {
      get(target, property): unknown {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property !== 'restoreEndOffsets') return value.bind(target);
        return async (name: string): Promise<number[]> => {
          const ends = await target.restoreEndOffsets(name);
          endLookedUp();
          return ends;
        };
      },
    }) as Transport;

    const restored: string[] = [];
    const restoring = restoreChangelog(watched, topic, [0], (record) => {
      restored.push(record.value?.toString() ?? 'null');
    });
    await lookedUp;
    await open.commit();
    await restoring;
    expect(restored).toEqual(['1', '2']);
  });
});
