import { kafkaBrokers } from '../../../test/support/kafka-env';
import { connectedAdmin } from '../../../test/support/kafkajs-admin';
import { openTransaction } from '../../../test/support/open-transaction';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { StreamwiseApp } from '../../app/streamwise-app';
import { defineTopic } from '../../codec/define-topic';
import { EventHandler } from '../../decorators/event-handler';
import { Materialize } from '../../decorators/materialize';
import { Service } from '../../decorators/service';
import { SilentLogger } from '../../logging/silent-logger';
import type { ServiceClass } from '../../runtime/service-class';
import { StreamService } from '../../runtime/stream-service';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import { PlatformaticKafkaTransport } from '../../transport/platformatic/platformatic-transport';
import type { Transport } from '../../transport/transport';
import type { ReadOnlyTable } from './read-only-table';

interface Price {
  sku: string;
  cents: number;
}

/**
 * A view reads committed records only, so records of a transaction still open are out of its
 * reach until the transaction ends, which for a producer that died can take its whole transaction
 * timeout (a minute by default, up to 15). The view is caught up with what was committed when it
 * started: its start must not wait for that transaction.
 */
const clients: [string, () => Transport][] = [
  [
    'PlatformaticKafkaTransport',
    () =>
      new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
  ],
  [
    'KafkaTransport',
    () =>
      new KafkaTransport({
        brokers: kafkaBrokers(),
        logger: new SilentLogger(),
        consumer: { maxWaitTimeMs: 100 },
      }),
  ],
];

describe.each(clients)('%s: a view whose topic holds an open transaction', (_, transport) => {
  jest.setTimeout(60_000);
  const teardown = teardownAfterEach();

  /** A topic of prices a and b committed, then a transaction left open writing a and c. */
  async function pricesWithOpenTransaction(name: string): Promise<{ commit: () => Promise<void> }> {
    const { kafka, admin } = await connectedAdmin(teardown, 'open-transaction-view');
    await admin.createTopics({
      topics: [name, `${name}-input`].map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    const plain = teardown.add('the producer', kafka.producer(), (p) => p.disconnect());
    await plain.connect();
    const price = (sku: string, cents: number): { key: string; value: string } => ({
      key: sku,
      value: JSON.stringify({ sku, cents }),
    });
    await plain.send({ topic: name, messages: [price('a', 1), price('b', 2)] });
    const open = await openTransaction(kafka, teardown, name, [price('a', 10), price('c', 30)]);
    return { commit: () => open.commit() };
  }

  /** Starts `service`; its start must not wait for the open transaction (a minute). */
  async function startedApp(service: ServiceClass): Promise<StreamwiseApp> {
    const app = StreamwiseApp.create({
      services: [service],
      transport: transport(),
      logger: new SilentLogger(),
      http: false,
    });
    teardown.add('the app', app, (a) => a.stop());
    const started = Date.now();
    await app.start();
    expect(Date.now() - started).toBeLessThan(20_000);
    return app;
  }

  async function expectCommittedThenTransaction(
    app: StreamwiseApp,
    prices: ReadOnlyTable<string, Price>,
    commit: () => Promise<void>,
  ): Promise<void> {
    await waitFor(() => app.readiness.isReady(), 'the app to be ready');
    expect(prices.get('a')).toEqual({ sku: 'a', cents: 1 });
    expect(prices.get('b')).toEqual({ sku: 'b', cents: 2 });
    expect(prices.get('c')).toBeUndefined();
    await commit();
    await waitFor(() => prices.get('c'), 'the committed transaction’s row');
    expect(prices.get('a')).toEqual({ sku: 'a', cents: 10 });
  }

  it('global: ready with the committed rows at once, and takes the transaction’s rows once it commits', async () => {
    const name = uniqueName('prices');
    const Prices = defineTopic<Price>({ name, entity: 'Price', key: (p) => p.sku, partitions: 1 });
    const { commit } = await pricesWithOpenTransaction(name);

    @Service(uniqueName('price-reader'))
    class PriceReader extends StreamService {
      @Materialize(Prices)
      readonly prices!: ReadOnlyTable<string, Price>;
    }
    const app = await startedApp(PriceReader);
    await expectCommittedThenTransaction(app, app.service(PriceReader).prices, commit);
  });

  it('partitioned: its partitions restored to the committed rows at once, the transaction’s rows delivered once it commits', async () => {
    const name = uniqueName('prices');
    const Prices = defineTopic<Price>({ name, entity: 'Price', key: (p) => p.sku, partitions: 1 });
    const Orders = defineTopic<Price>({
      name: `${name}-input`,
      entity: 'Order',
      key: (p) => p.sku,
      partitions: 1,
    });
    const { commit } = await pricesWithOpenTransaction(name);

    @Service(uniqueName('price-checker'))
    class PriceChecker extends StreamService {
      @Materialize(Prices, { mode: 'partitioned' })
      readonly prices!: ReadOnlyTable<string, Price>;
      @EventHandler(Orders)
      check(): void {}
    }
    const app = await startedApp(PriceChecker);
    await expectCommittedThenTransaction(app, app.service(PriceChecker).prices, commit);
  });
});
