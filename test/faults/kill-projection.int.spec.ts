import { postgresDatabase } from '../../src/replicas/postgres-database';
import type { OutgoingRecord } from '../../src/transport/transport';
import { kafkaBrokers } from '../support/kafka-env';
import {
  ExpectedSummaries,
  SUMMARY_PARTITIONS,
  summaryRecord,
} from '../support/order-summary-projection';
import { dropReplica, requiredPostgresUrl, uniqueTable } from '../support/postgres-env';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { faultTestClient, startWorker, stopWorker } from './fault-support';
import { RELAY_CLIENTS } from './relay-transport';

const ORDERS = 300;
const ROUNDS = 40;

// The same case on each Kafka client: the instances project on it (PROJECTION_CLIENT), the test
// produces through KafkaTransport.
describe.each(RELAY_CLIENTS)(
  'fault (%s): kill -9 an instance projecting two topics mid-stream',
  (kafkaClient) => {
    jest.setTimeout(240_000);
    const teardown = teardownAfterEach();

    it('the restarted instance resumes from the offsets of both inputs: every payment folded once', async () => {
      const names = {
        orders: uniqueName('summary-orders'),
        payments: uniqueName('summary-payments'),
        table: uniqueTable('order_summary'),
      };
      const database = teardown.add(
        'the database',
        postgresDatabase({ connectionString: requiredPostgresUrl() }),
        (db) => db.close(),
      );
      teardown.add('the table', names.table, (name) => dropReplica(database, name));
      const client = await faultTestClient(teardown);
      await client.createTopics([
        { name: names.orders, partitions: SUMMARY_PARTITIONS, compacted: false },
        { name: names.payments, partitions: SUMMARY_PARTITIONS, compacted: false },
      ]);
      const env = {
        PROJECTION_BROKERS: kafkaBrokers().join(','),
        PROJECTION_ORDERS: names.orders,
        PROJECTION_PAYMENTS: names.payments,
        PROJECTION_TABLE: names.table,
        PROJECTION_SERVICE: uniqueName('order-summary').toLowerCase(),
        PROJECTION_DATABASE: requiredPostgresUrl(),
        PROJECTION_CLIENT: kafkaClient,
      };
      const rows = async (): Promise<number> =>
        Number((await database.query(`SELECT count(*) AS n FROM ${names.table}`)).rows[0].n);

      const victim = teardown.add(
        'the victim',
        startWorker(env, 'projection-worker.ts'),
        stopWorker,
      );
      await victim.ready;
      const expected = new ExpectedSummaries();
      let restarted: ReturnType<typeof startWorker> | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const orders: OutgoingRecord[] = [];
        const payments: OutgoingRecord[] = [];
        for (let i = 0; i < ORDERS; i++) {
          const id = `order-${i}`;
          const order = { id, customer: `c-${i % 11}`, state: `state-${round}` };
          orders.push(summaryRecord(id, order));
          expected.order(id, order);
          // Payments are counted and summed: one folded twice, or lost, changes its row.
          const payment = { orderId: id, amount: (i % 5) + round };
          payments.push(summaryRecord(id, payment));
          expected.payment(payment);
        }
        await Promise.all([
          client.produce(names.orders, orders),
          client.produce(names.payments, payments),
        ]);
        if (round === ROUNDS / 4) {
          await waitFor(async () => (await rows()) > 0, 'rows before the kill', {
            timeoutMs: 60_000,
          });
          victim.child.kill('SIGKILL');
          await victim.exited;
        }
        if (round === ROUNDS / 2) {
          restarted = teardown.add(
            'the restarted instance',
            startWorker(env, 'projection-worker.ts'),
            stopWorker,
          );
          await restarted.ready;
        }
      }
      expect(restarted).toBeDefined();

      for (const topic of [names.orders, names.payments]) {
        const ends = await client.endOffsets(topic);
        await waitFor(
          async () => {
            const { rows: stored } = await database.query(
              'SELECT next_offset FROM streamwise_replica_offsets WHERE replica = $1 AND topic = $2 ORDER BY partition',
              [`${names.table}_v1`, topic],
            );
            return (
              JSON.stringify(stored.map((r) => Number(r.next_offset))) === JSON.stringify(ends)
            );
          },
          `the stored offsets of ${topic} to reach the end of the log`,
          { timeoutMs: 120_000 },
        );
      }
      const { rows: table } = await database.query(
        `SELECT order_id, customer, state, paid, payments FROM ${names.table} ORDER BY order_id`,
      );
      const sort = <T extends { order_id?: unknown }>(list: readonly T[]): T[] =>
        [...list].sort((a, b) => String(a.order_id).localeCompare(String(b.order_id)));
      expect(sort(table)).toEqual(sort(expected.rows()));
      expect(table).toHaveLength(ORDERS);
    });
  },
);
