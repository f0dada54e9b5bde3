import { kafkaBrokers } from '../../test/support/kafka-env';
import {
  ExpectedSummaries,
  SUMMARY_PARTITIONS,
  summaryRecord,
  summaryTopology,
} from '../../test/support/order-summary-projection';
import { dropReplica, requiredPostgresUrl, uniqueTable } from '../../test/support/postgres-env';
import { REPLICA_DATABASE_KINDS } from '../../test/support/replica-databases';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { RecordGate } from '../codec/record-gate';
import { TopicCodec } from '../codec/topic-codec';
import { describeService } from '../decorators/describe-service';
import { ConfigurationError } from '../errors/configuration-error';
import { TopicMismatchError } from '../errors/topic-mismatch-error';
import { SilentLogger } from '../logging/silent-logger';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../model/topics/header-names';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { DeliveredRecord, OutgoingRecord } from '../transport/transport';
import { postgresDatabase } from './postgres-database';
import type { ReplicaDatabase } from './replica-database';
import { rebuildReplica } from './replica-rebuild';

const logger = new SilentLogger();

function kafka(): KafkaTransport {
  return new KafkaTransport({
    brokers: kafkaBrokers(),
    logger,
    kafkaLogLevel: 'nothing',
    consumer: { maxWaitTimeMs: 100 },
  });
}

const server = (): ReplicaDatabase =>
  postgresDatabase({ connectionString: requiredPostgresUrl(), maxConnections: 6 });

describe('@Replicate projecting several topics, on the real broker', () => {
  jest.setTimeout(120_000);
  const teardown = teardownAfterEach();

  async function setUp(
    open: () => ReplicaDatabase,
    partitions: { orders: number; payments: number } | undefined = undefined,
  ) {
    const names = {
      orders: uniqueName('summary-orders'),
      payments: uniqueName('summary-payments'),
      table: uniqueTable('order_summary'),
      service: uniqueName('order-summary'),
    };
    const topology = summaryTopology(names);
    const database = teardown.add('the database', open(), (db) => db.close());
    teardown.add('the tables', names.table, (name) => dropReplica(database, name));
    const client = teardown.add('the client', kafka(), (t) => t.disconnect());
    await client.connect();
    await client.createTopics([
      {
        name: names.orders,
        partitions: partitions?.orders ?? SUMMARY_PARTITIONS,
        compacted: false,
      },
      {
        name: names.payments,
        partitions: partitions?.payments ?? SUMMARY_PARTITIONS,
        compacted: false,
      },
    ]);
    const app = StreamwiseApp.create({
      services: [topology.service],
      transport: kafka(),
      logger,
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    const reader = () => app.service(topology.service).summaries;
    return { names, topology, database, client, app, reader };
  }

  /** Orders and their payments, interleaved: 60 orders, 4 payments each, every 10th deleted. */
  function interleaved(expected: ExpectedSummaries, round: number) {
    const orders: OutgoingRecord[] = [];
    const payments: OutgoingRecord[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `order-${i}`;
      // Orders without payments are deleted; the fold's result then does not depend on order.
      if (i % 10 === 9 && round === 2) {
        orders.push(summaryRecord(id, null));
        expected.order(id, null);
        continue;
      }
      const order = { id, customer: `c-${i % 7}`, state: round === 2 ? 'PAID' : 'CREATED' };
      orders.push(summaryRecord(id, order));
      expected.order(id, order);
      if (i % 10 === 9) continue;
      for (let n = 0; n < 2; n++) {
        const payment = { orderId: id, amount: i + n + round };
        payments.push(summaryRecord(id, payment));
        expected.payment(payment);
      }
    }
    return { orders, payments };
  }

  async function offsetsOf(database: ReplicaDatabase, table: string, topic: string) {
    const { rows } = await database.query(
      'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 AND topic = $2 ORDER BY partition',
      [table, topic],
    );
    return rows.map((row) => Number(row.next_offset));
  }

  // The fold reads rows back from the table: both databases must give them in the same form.
  for (const { name, open } of REPLICA_DATABASE_KINDS) {
    describe(`in ${name}`, () => {
      it('folds both topics into one row per key, equal to the fold, with the offsets of every input', async () => {
        const { names, database, client, app, reader } = await setUp(open);
        const expected = new ExpectedSummaries();
        const first = interleaved(expected, 1);
        await client.produce(names.payments, first.payments.slice(0, 40));
        await client.produce(names.orders, first.orders);
        await app.start();
        await client.produce(names.payments, first.payments.slice(40));
        const second = interleaved(expected, 2);
        await Promise.all([
          client.produce(names.orders, second.orders),
          client.produce(names.payments, second.payments),
        ]);
        const want = JSON.stringify(expected.rows());
        await waitFor(
          async () => JSON.stringify(await reader().all()) === want,
          'the table to equal the fold of both topics',
        );
        expect(await reader().count()).toBe(54);
        expect(await reader().get('order-9')).toBeUndefined();
        expect(await reader().get('order-3')).toEqual({
          order_id: 'order-3',
          customer: 'c-3',
          state: 'PAID',
          paid: 4 + 5 + 5 + 6,
          payments: 4,
        });
        for (const topic of [names.orders, names.payments]) {
          const ends = await client.endOffsets(topic);
          await waitFor(
            async () =>
              JSON.stringify(await offsetsOf(database, `${names.table}_v1`, topic)) ===
              JSON.stringify(ends),
            `the stored offsets of ${topic} to reach its end`,
          );
          expect(await reader().positions(topic)).toEqual(new Map(ends.map((end, p) => [p, end])));
        }
        await expect(reader().positions()).rejects.toThrow(ConfigurationError);
      });

      it('dead-letters a record whose fold throws, and folds the records after it', async () => {
        const { names, client, app, reader } = await setUp(open);
        await app.start();
        const dead: DeliveredRecord[] = [];
        const reading = await client.subscribe({
          groupId: uniqueName('dlq-reader'),
          topics: [deadLetterTopicName(names.payments)],
          offsetReset: 'earliest',
          handle: (record) => {
            dead.push(record);
            return Promise.resolve();
          },
        });
        teardown.add('the dead-letter reader', reading, (s) => s.stop());
        await client.produce(names.orders, [
          summaryRecord('o-1', { id: 'o-1', customer: 'ann', state: 'CREATED' }),
        ]);
        await client.produce(names.payments, [
          summaryRecord('o-1', { orderId: 'o-1', amount: 10 }),
          summaryRecord('o-1', { orderId: 'o-1', amount: -3 }),
          summaryRecord('o-1', { orderId: 'o-1', amount: 5 }),
        ]);
        await waitFor(
          async () => (await reader().get('o-1'))?.payments === 2,
          'the two good payments folded',
        );
        await waitFor(() => dead.length === 1, 'one dead letter');
        expect(await reader().get('o-1')).toEqual({
          order_id: 'o-1',
          customer: 'ann',
          state: 'CREATED',
          paid: 15,
          payments: 2,
        });
        expect(dead[0].headers[DeadLetterHeaderNames.REASON]).toBe('handler-failed');
        expect(JSON.parse(dead[0].value?.toString() ?? '{}')).toEqual({
          orderId: 'o-1',
          amount: -3,
        });
      });
    });
  }

  it('rebuilds from offset 0 of both topics into a new version equal to the live table', async () => {
    const { names, topology, database, client, app, reader } = await setUp(server);
    const expected = new ExpectedSummaries();
    const first = interleaved(expected, 1);
    await client.produce(names.orders, first.orders);
    await client.produce(names.payments, first.payments);
    await app.start();
    const second = interleaved(expected, 2);
    await client.produce(names.payments, second.payments);
    await client.produce(names.orders, second.orders);
    const want = JSON.stringify(expected.rows());
    await waitFor(
      async () => JSON.stringify(await reader().all()) === want,
      'the live table to equal the fold',
    );
    const builder = teardown.add('the builder', kafka(), (t) => t.disconnect());
    await builder.connect();
    const result = await rebuildReplica(describeService(topology.service).replicas[0], {
      database,
      transport: builder,
      values: new TopicCodec(),
      gate: new RecordGate({ ownerOf: () => undefined, logger }),
      logger,
    });
    expect(result.current).toMatchObject({ version: 2, table: `${names.table}_v2` });
    const rebuilt = await database.query(`SELECT * FROM ${names.table}_v2 ORDER BY order_id`);
    expect(JSON.stringify(rebuilt.rows)).toBe(want);
    expect(JSON.stringify(await reader().all())).toBe(want);
    for (const topic of [names.orders, names.payments]) {
      expect(await offsetsOf(database, `${names.table}_v2`, topic)).toEqual(
        await offsetsOf(database, `${names.table}_v1`, topic),
      );
    }
    // The running replica goes on in the new version.
    await client.produce(names.payments, [
      summaryRecord('order-0', { orderId: 'order-0', amount: 100 }),
    ]);
    expected.payment({ orderId: 'order-0', amount: 100 });
    const after = JSON.stringify(expected.rows());
    await waitFor(
      async () => JSON.stringify(await reader().all()) === after,
      'a new payment folded into the new version',
    );
  });

  it('refuses to start when an input on the broker is not co-partitioned with its definition', async () => {
    // The definitions were compared by @Replicate; the app checks each topic on the broker against
    // its definition before anything is read.
    const { app, names } = await setUp(server, { orders: SUMMARY_PARTITIONS, payments: 2 });
    await expect(app.start()).rejects.toThrow(TopicMismatchError);
    await expect(app.start()).rejects.toThrow(
      `Topic "${names.payments}" on the broker does not match its definition: it has 2 partition(s), the definition says ${SUMMARY_PARTITIONS}.`,
    );
  });
});
