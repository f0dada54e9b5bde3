import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { MissingTopicError } from '../errors/missing-topic-error';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { StreamwiseApp } from './streamwise-app';

/** A consumer whose topic is owned by a service that is not in its app (issue 15, item 5). */
describe('a consumed topic owned elsewhere, on Kafka', () => {
  const teardown = teardownAfterEach();
  const admin = new KafkaTransport({ brokers: kafkaBrokers(), logger: new SilentLogger() });
  const created: string[] = [];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics(created);
    await admin.disconnect();
  });

  function consumerApp(options: { createForeignTopics?: boolean } = {}) {
    const Orders = defineTopic<{ id: string }>({
      name: uniqueName('ordres'),
      entity: 'Order',
      owner: 'orders-service',
      key: (o) => o.id,
    });
    created.push(Orders.name, `${Orders.name}.dlq`);

    @Service(uniqueName('billing').toLowerCase())
    class BillingService extends StreamService {
      @EventHandler(Orders)
      bill(): void {}
    }
    const app = teardown.add(
      'the consumer app',
      StreamwiseApp.create({
        services: [BillingService],
        transport: new KafkaTransport({ brokers: kafkaBrokers(), logger: new SilentLogger() }),
        logger: new SilentLogger(),
        http: false,
        ...options,
      }),
      (started) => started.stop(),
    );
    return { app, topic: Orders.name };
  }

  it('fails to start with MissingTopicError naming topic and owner, and creates nothing', async () => {
    const { app, topic } = consumerApp();
    const failure = app.start();
    await expect(failure).rejects.toBeInstanceOf(MissingTopicError);
    await expect(failure).rejects.toThrow(
      `Topic "${topic}" (owner: orders-service) does not exist, and its owner is not in this app`,
    );
    const topics = await admin.listTopics();
    expect(topics).not.toContain(topic);
    expect(topics).not.toContain(`${topic}.dlq`);
    expect(app.state).toBe('created');
  });

  it('starts once the owner (or topics apply) has created the topic', async () => {
    const { app, topic } = consumerApp();
    await admin.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    await app.start();
    expect(app.state).toBe('running');
    expect(await admin.listTopics()).toContain(`${topic}.dlq`);
  });

  it('creates it with createForeignTopics: true', async () => {
    const { app, topic } = consumerApp({ createForeignTopics: true });
    await app.start();
    expect(await admin.listTopics()).toContain(topic);
  });
});
