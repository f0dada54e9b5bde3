import { kafkaBrokers } from '../../test/support/kafka-env';
import { dropReplica, uniqueTable } from '../../test/support/postgres-env';
import { describeEachReplicaDatabase } from '../../test/support/replica-databases';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { defineTopic } from '../codec/define-topic';
import { Replicate } from '../decorators/replicate';
import { Service } from '../decorators/service';
import { ReplicaTableMismatchError } from '../errors/replica-table-mismatch-error';
import { SilentLogger } from '../logging/silent-logger';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../model/topics/header-names';
import { StreamService } from '../runtime/stream-service';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { partitionForKey } from '../transport/partitioner';
import type { DeliveredRecord, OutgoingRecord } from '../transport/transport';
import type { ReplicaDatabase } from './replica-database';
import type { ReplicaReader } from './replica-reader';

interface Order {
  readonly id: string;
  readonly state: string;
  readonly quantity: number;
}

const PARTITIONS = 3;

function record(key: string, value: unknown, partition?: number): OutgoingRecord {
  const bytes = Buffer.from(key);
  return {
    key: bytes,
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    partition: partition ?? partitionForKey(bytes, PARTITIONS),
  };
}

describeEachReplicaDatabase('@Replicate on the real broker', (open) => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  const kafka = (): KafkaTransport =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
      consumer: { maxWaitTimeMs: 100 },
    });

  async function setUp(): Promise<{
    table: string;
    database: ReplicaDatabase;
    producer: KafkaTransport;
    app: StreamwiseApp;
    reader: () => ReplicaReader<{ id: string; state: string; quantity: number }>;
    topic: string;
  }> {
    const topic = uniqueName('replicated-orders');
    const table = uniqueTable('orders');
    const Orders = defineTopic<Order>({
      name: topic,
      entity: 'Order',
      key: (o) => o.id,
      partitions: PARTITIONS,
      compacted: true,
      schema: {
        type: 'object',
        required: ['id', 'state', 'quantity'],
        properties: {
          id: { type: 'string' },
          state: { type: 'string' },
          quantity: { type: 'integer', minimum: 0 },
        },
      },
    });
    @Service(uniqueName('order-view'))
    class OrderView extends StreamService {
      @Replicate(Orders, {
        table,
        keyColumn: 'id',
        columns: { state: 'text', quantity: 'integer' },
      })
      readonly orders!: ReplicaReader<{ id: string; state: string; quantity: number }>;
    }
    const database = open();
    teardown.add('the database', database, (db) => db.close());
    teardown.add('the table', table, (name) => dropReplica(database, name));
    const producer = teardown.add('the producer', kafka(), (t) => t.disconnect());
    await producer.connect();
    await producer.createTopics([{ name: topic, partitions: PARTITIONS, compacted: true }]);
    const app = StreamwiseApp.create({
      services: [OrderView],
      transport: kafka(),
      logger: new SilentLogger(),
      http: false,
      replicaDatabase: database,
    });
    teardown.add('the app', app, (a) => a.stop());
    return { table, database, producer, app, reader: () => app.service(OrderView).orders, topic };
  }

  it('keeps the latest value per key, deletes on tombstones, and stores the log end offsets', async () => {
    const { table, database, producer, app, reader, topic } = await setUp();
    const expected = new Map<string, Order>();
    const batch: OutgoingRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const order = { id: `o-${i % 40}`, state: `s-${i}`, quantity: i };
      expected.set(order.id, order);
      batch.push(record(order.id, order));
    }
    for (const id of ['o-3', 'o-17', 'o-29']) {
      expected.delete(id);
      batch.push(record(id, null));
    }
    await producer.produce(topic, batch.slice(0, 150));
    await app.start();
    await producer.produce(topic, batch.slice(150));
    const want = [...expected.values()].sort((a, b) => a.id.localeCompare(b.id));
    await waitFor(
      async () => JSON.stringify(await reader().all()) === JSON.stringify(want),
      'the table to equal the latest value per key',
    );
    expect(await reader().count()).toBe(37);
    expect(await reader().get('o-3')).toBeUndefined();
    expect(await reader().get('o-39')).toEqual({ id: 'o-39', state: 's-279', quantity: 279 });
    const ends = await producer.endOffsets(topic);
    await waitFor(async () => {
      const { rows } = await database.query(
        'SELECT partition, next_offset FROM streamwise_replica_offsets WHERE replica = $1 ORDER BY partition',
        [`${table}_v1`],
      );
      return JSON.stringify(rows.map((r) => Number(r.next_offset))) === JSON.stringify(ends);
    }, 'the stored offsets to reach the log end');
    expect(app.readiness.checks()).toContainEqual(
      expect.objectContaining({ name: `replica ${table}`, ready: true }),
    );
  });

  it('refuses writes through its reader: the database runs its SQL read-only', async () => {
    const { app, reader } = await setUp();
    await app.start();
    await expect(reader().query(`DELETE FROM ${reader().table}`)).rejects.toThrow(/read-only/);
  });

  it('refuses to start on a table of the same name with other columns', async () => {
    const { table, database, app } = await setUp();
    await database.query(`CREATE TABLE ${table} (id text PRIMARY KEY, status text)`);
    await expect(app.start()).rejects.toThrow(ReplicaTableMismatchError);
    await expect(app.start()).rejects.toThrow(
      `Table "${table}" has the columns (id, status), but its @Replicate declares (id, state, quantity).`,
    );
  });

  it('dead-letters a schema-invalid and a mis-keyed record and moves on', async () => {
    const { producer, app, reader, topic } = await setUp();
    const dlq = deadLetterTopicName(topic);
    const wrongPartition = (partitionForKey(Buffer.from('o-2'), PARTITIONS) + 1) % PARTITIONS;
    await producer.produce(topic, [
      record('o-1', { id: 'o-1', state: 'NEW', quantity: 1 }),
      record('o-2', { id: 'o-2', state: 'NEW', quantity: -5 }),
      record('o-2', { id: 'o-2', state: 'NEW', quantity: 2 }, wrongPartition),
      record('o-3', { id: 'o-3', state: 'NEW', quantity: 3 }),
    ]);
    await app.start();
    const dead: DeliveredRecord[] = [];
    const reading = await producer.subscribe({
      groupId: uniqueName('dlq-reader'),
      topics: [dlq],
      offsetReset: 'earliest',
      handle: (r) => {
        dead.push(r);
        return Promise.resolve();
      },
    });
    teardown.add('the dead-letter reader', reading, (s) => s.stop());
    await waitFor(async () => (await reader().count()) === 2, 'the two good orders');
    await waitFor(() => dead.length === 2, 'two dead letters');
    expect(dead.map((r) => r.headers[DeadLetterHeaderNames.REASON]).sort()).toEqual([
      'invalid',
      'key-mismatch',
    ]);
    expect((await reader().all()).map((row) => row.id)).toEqual(['o-1', 'o-3']);
  });
});
