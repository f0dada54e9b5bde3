import { collectGarbage } from '../../../test/support/collect-garbage';
import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordingLogger } from '../../../test/support/recording-logger';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/** Fetch rounds after the first record's: each one record, handled before the next is written. */
const LATER_ROUNDS = 5;

// A member fetches for as long as it runs: whatever one round leaves reachable stays for the
// life of the process, so a fetched batch must be garbage once its records are handled.
describe('the records of a fetch once handled', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('are garbage after later rounds, while the member keeps running', async () => {
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        clientId: uniqueName('retention'),
        logger: new RecordingLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
      (t) => t.disconnect(),
    );
    await transport.connect();
    const topic = uniqueName('retention');
    await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    const values: WeakRef<Buffer>[] = [];
    await transport.subscribe({
      groupId: uniqueName('retention-group'),
      topics: [topic],
      offsetReset: 'earliest',
      handle: (record) => {
        if (record.value !== null) values.push(new WeakRef(record.value));
        return Promise.resolve();
      },
    });
    for (let round = 0; round <= LATER_ROUNDS; round++) {
      const value = Buffer.from(`value-${round}`);
      await transport.produce(topic, [{ key: null, value, partition: 0 }]);
      await waitFor(() => values.length === round + 1, `record ${round} to be handled`);
    }

    collectGarbage();
    await new Promise<void>((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(values[0]?.deref()).toBeUndefined();
  });
});
