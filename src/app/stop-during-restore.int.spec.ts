import { kafkaBrokers } from '../../test/support/kafka-env';
import { connectedAdmin } from '../../test/support/kafkajs-admin';
import { openTransaction } from '../../test/support/open-transaction';
import { RecordingLogger } from '../../test/support/recording-logger';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import { SilentLogger } from '../logging/silent-logger';
import { changelogTopicName } from '../model/changelog-topic';
import { StreamService } from '../runtime/stream-service';
import type { StateStore } from '../state/stores/state-store';
import { PlatformaticKafkaTransport } from '../transport/platformatic/platformatic-transport';
import { StreamwiseApp } from './streamwise-app';

interface Add {
  key: string;
  amount: number;
}

/**
 * A store's restore reads its changelog to the log end, so a transaction open there holds it up
 * to that transaction's timeout (a producer that died). A stop (SIGTERM, a deploy) must not wait
 * for it: the restore is abandoned and the next owner restores afresh.
 */
describe('stopping an app while a store restores', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('stops at once, without waiting for the restore to end', async () => {
    const group = uniqueName('summer').toLowerCase();
    const Adds = defineTopic<Add>({
      name: uniqueName('adds'),
      entity: 'Add',
      key: (a) => a.key,
      partitions: 1,
    });
    const changelog = changelogTopicName(group, 'sums');
    const { kafka, admin } = await connectedAdmin(teardown, 'stop-during-restore');
    await admin.createTopics({
      topics: [
        { topic: Adds.name, numPartitions: 1 },
        {
          topic: changelog,
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      waitForLeaders: true,
    });
    const open = await openTransaction(kafka, teardown, changelog, [{ key: 'a', value: '1' }]);
    teardown.add('the open transaction', open, (t) => t.abort());

    @Service(group)
    class Summer extends StreamService {
      @State('sums')
      readonly sums!: StateStore<string, number>;
      @EventHandler(Adds)
      add(a: Add): void {
        this.sums.put(a.key, (this.sums.get(a.key) ?? 0) + a.amount);
      }
    }
    const logger = new RecordingLogger();
    const app = StreamwiseApp.create({
      services: [Summer],
      transport: new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
      logger,
      http: false,
    });
    teardown.add('the app', app, (a) => a.stop());
    const starting = app.start().then(
      () => 'started',
      () => 'start failed',
    );
    await waitFor(
      () =>
        logger.entries.some((e) => e.message === 'restore started' && e.fields?.kind === 'store'),
      'the store’s restore to begin',
    );

    const stopping = Date.now();
    await app.stop();
    expect(Date.now() - stopping).toBeLessThan(15_000);
    await starting;
  });
});
