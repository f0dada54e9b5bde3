import { kafkaBrokers } from '../../../test/support/kafka-env';
import { connectedAdmin } from '../../../test/support/kafkajs-admin';
import { RecordingLogger } from '../../../test/support/recording-logger';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import type { Subscription } from '../transport';
import type { PlatformaticGroupProtocol } from './platformatic-options';
import { PlatformaticKafkaTransport } from './platformatic-transport';

/** Far above how long a stop may take: a stop that waited for the fetch would be caught. */
const FETCH_WAIT_MS = 20_000;
const STOP_WITHIN_MS = 5_000;

// An idle member always has a fetch waiting at the broker for up to maxWaitTimeMs. Stopping must
// not wait for its answer (nothing it could bring would be handled), nor queue the group's
// goodbye behind it: the member leaves at once, so its partitions move without a session timeout.
describe.each<PlatformaticGroupProtocol>(['classic', 'consumer'])(
  'stopping a member while its fetch waits at the broker (groupProtocol %s)',
  (groupProtocol) => {
    jest.setTimeout(60_000);
    const teardown = teardownAfterEach();

    it('resolves without waiting for the fetch, and the member has left the group', async () => {
      const { admin } = await connectedAdmin(teardown, uniqueName('stop-fetch-admin'));
      const transport = teardown.add(
        'the transport',
        new PlatformaticKafkaTransport({
          brokers: kafkaBrokers(),
          clientId: uniqueName('stop-fetch'),
          logger: new RecordingLogger(),
          consumer: { maxWaitTimeMs: FETCH_WAIT_MS },
          groupProtocol,
        }),
        (t) => t.disconnect(),
      );
      await transport.connect();
      const topic = uniqueName('stop-fetch');
      const groupId = uniqueName('stop-fetch-group');
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      const handled: number[] = [];
      const subscription: Subscription = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: (record) => {
          handled.push(record.offset);
          return Promise.resolve();
        },
      });
      // Once the record's offset is committed, the loop has sent its next fetch: an empty
      // partition, so the broker holds it for maxWaitTimeMs.
      await transport.produce(topic, [
        { key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 },
      ]);
      await waitFor(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets?.partitions[0]?.offset === '1';
      }, 'the record to be handled and committed');
      expect(handled).toEqual([0]);

      const stopped = subscription.stop().then(() => 'stopped' as const);
      const outcome = await Promise.race([
        stopped,
        new Promise<'still waiting'>((resolve) => {
          const timer = setTimeout(() => resolve('still waiting'), STOP_WITHIN_MS);
          void stopped.finally(() => clearTimeout(timer));
        }),
      ]);
      expect(outcome).toBe('stopped');
      const [group] = (await admin.describeGroups([groupId])).groups;
      expect(group?.members).toEqual([]);
    });
  },
);
