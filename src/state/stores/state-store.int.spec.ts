import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordCollector } from '../../../test/support/record-collector';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { StreamwiseApp } from '../../app/streamwise-app';
import { defineTopic } from '../../codec/define-topic';
import { buildEnvelope } from '../../codec/envelope';
import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { State } from '../../decorators/state';
import { SilentLogger } from '../../logging/silent-logger';
import { StreamService } from '../../runtime/stream-service';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import type { StateStore } from './state-store';

interface Add {
  key: string;
  amount: number;
}

describe('@State on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it.each([false, true])(
    'survives a restart through its changelog (exactlyOnce: %p)',
    async (exactlyOnce) => {
      const Adds = defineTopic<Add>({
        name: uniqueName('adds'),
        entity: 'Add',
        key: (a) => a.key,
        partitions: 3,
      });
      const Totals = defineTopic<{ key: string; total: number }>({
        name: uniqueName('totals'),
        entity: 'Total',
        key: (t) => t.key,
        partitions: 3,
      });
      const group = uniqueName('summer').toLowerCase();

      @Service(group, { exactlyOnce })
      @OwnsTopic(Totals)
      class Summer extends StreamService {
        @State('sums')
        readonly sums!: StateStore<string, number>;
        @EventHandler(Adds)
        async add(a: Add): Promise<void> {
          const total = (this.sums.get(a.key) ?? 0) + a.amount;
          this.sums.put(a.key, total);
          await this.publish(Totals, { key: a.key, total });
        }
      }

      const transport = () =>
        new KafkaTransport({
          brokers: kafkaBrokers(),
          logger: new SilentLogger(),
          consumer: { maxWaitTimeMs: 100 },
        });
      const client = teardown.add('the client', transport(), (c) => c.disconnect());
      await client.connect();
      await client.createTopics([
        { name: Adds.name, partitions: 3, compacted: false },
        { name: Totals.name, partitions: 3, compacted: false },
      ]);
      const totals = new RecordCollector();
      const reader = await client.subscribe({
        groupId: uniqueName('reader'),
        topics: [Totals.name],
        offsetReset: 'earliest',
        handle: totals.handle,
      });
      teardown.add('the reader', reader, (r) => r.stop());
      const send = async (key: string, amount: number) => {
        const { record } = buildEnvelope(
          Adds,
          { key, amount },
          { producer: 'test', timestamp: Date.now() },
        );
        await client.produce(Adds.name, [record]);
      };
      const run = async (work: () => Promise<void>, expected: number) => {
        const app = StreamwiseApp.create({
          services: [Summer],
          transport: transport(),
          logger: new SilentLogger(),
          http: false,
        });
        teardown.add('an app', app, (a) => a.stop());
        await app.start();
        await work();
        await totals.waitForCount(expected, 60_000);
        await app.stop();
      };
      await run(async () => {
        for (const key of ['a', 'b', 'c', 'd']) await send(key, 1);
        for (const key of ['a', 'b']) await send(key, 10);
      }, 6);
      await run(async () => {
        for (const key of ['a', 'b', 'c', 'd']) await send(key, 100);
      }, 10);
      const last = new Map(
        totals
          .values()
          .map((v) => JSON.parse(v) as { key: string; total: number })
          .map((t) => [t.key, t.total]),
      );
      expect(Object.fromEntries(last)).toEqual({ a: 111, b: 111, c: 101, d: 101 });
    },
  );
});
