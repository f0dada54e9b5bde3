import { kafkaBrokers } from '../../../test/support/kafka-env';
import { connectedAdmin } from '../../../test/support/kafkajs-admin';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { StreamwiseApp } from '../../app/streamwise-app';
import { defineTopic } from '../../codec/define-topic';
import { Materialize } from '../../decorators/materialize';
import { Service } from '../../decorators/service';
import { SilentLogger } from '../../logging/silent-logger';
import { StreamService } from '../../runtime/stream-service';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import { partitionForKey } from '../../transport/partitioner';
import type { ReadOnlyTable } from './read-only-table';

describe('@Materialize on the real broker', () => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  it('catches up with a topic written in transactions (markers after the last record) before start() resolves', async () => {
    const name = uniqueName('prices');
    const Prices = defineTopic<{ sku: string; cents: number }>({
      name,
      entity: 'Price',
      key: (p) => p.sku,
      partitions: 3,
      compacted: true,
    });
    const { kafka, admin } = await connectedAdmin(teardown, 'materialize-int');
    await admin.createTopics({
      topics: [
        {
          topic: name,
          numPartitions: 3,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      waitForLeaders: true,
    });
    const producer = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    teardown.add('the producer', producer, (p) => p.disconnect());
    await producer.connect();
    for (let i = 0; i < 12; i++) {
      const transaction = await producer.transaction();
      const key = Buffer.from(`sku-${i % 4}`);
      await transaction.send({
        topic: name,
        messages: [
          {
            key,
            value: JSON.stringify({ sku: `sku-${i % 4}`, cents: i }),
            partition: partitionForKey(key, 3),
          },
        ],
      });
      await transaction.commit();
    }
    await producer.disconnect();
    await admin.disconnect();

    @Service('price-reader')
    class PriceReader extends StreamService {
      @Materialize(Prices)
      readonly prices!: ReadOnlyTable<string, { sku: string; cents: number }>;
      sizeAtStart = -1;
      override onStart(): void {
        this.sizeAtStart = this.prices.size;
      }
    }

    const app = StreamwiseApp.create({
      services: [PriceReader],
      transport: new KafkaTransport({
        brokers: kafkaBrokers(),
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
      logger: new SilentLogger(),
      http: false,
    });
    teardown.add('the app', app, (a) => a.stop());
    await app.start();
    expect(app.service(PriceReader).sizeAtStart).toBe(4);
    expect(app.service(PriceReader).prices.get('sku-3')).toEqual({ sku: 'sku-3', cents: 11 });
    expect(app.readiness.isReady()).toBe(true);
  });
});
