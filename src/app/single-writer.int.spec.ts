import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { SilentLogger } from '../logging/silent-logger';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../model/topics/header-names';
import type { ServiceClass } from '../runtime/service-class';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { partitionForKey } from '../transport/partitioner';
import type { DeliveredRecord } from '../transport/transport';
import { StreamwiseApp } from './streamwise-app';

interface Order {
  id: string;
  status: string;
}

function transport(): KafkaTransport {
  return new KafkaTransport({
    brokers: kafkaBrokers(),
    logger: new SilentLogger(),
    consumer: { maxWaitTimeMs: 100 },
  });
}

describe('the single writer across two apps on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it("rejects a record forged under another service's name in the app where the owner does not run: its handler dead-letters it, its view skips it", async () => {
    const Orders = defineTopic<Order>({
      name: uniqueName('owned-orders'),
      entity: 'Order',
      key: (o) => o.id,
      partitions: 2,
      owner: 'order-desk',
    });

    @Service('order-desk')
    @OwnsTopic(Orders)
    class OrderDesk extends StreamService {
      place(order: Order) {
        return this.publish(Orders, order);
      }
    }
    @Service('order-watcher')
    class OrderWatcher extends StreamService {
      readonly seen: string[] = [];
      @EventHandler(Orders)
      on(order: Order): void {
        this.seen.push(order.status);
      }
    }
    @Service('order-board')
    class OrderBoard extends StreamService {
      @Materialize(Orders)
      readonly orders!: ReadOnlyTable<string, Order>;
    }

    const start = async (services: ServiceClass[]) => {
      const app = StreamwiseApp.create({
        services,
        transport: transport(),
        logger: new SilentLogger(),
        http: false,
      });
      teardown.add('an app', app, (a) => a.stop());
      return app.start();
    };
    const a = await start([OrderDesk]);
    const b = await start([OrderWatcher, OrderBoard]);

    const dead: DeliveredRecord[] = [];
    const tap = teardown.add('the dead-letter tap', transport(), (t) => t.disconnect());
    await tap.connect();
    const subscription = await tap.subscribe({
      groupId: uniqueName('dlq-tap'),
      topics: [deadLetterTopicName(Orders.name)],
      offsetReset: 'earliest',
      handle: (record) => {
        dead.push(record);
        return Promise.resolve();
      },
    });
    teardown.add('the tap subscription', subscription, (s) => s.stop());

    await a.service(OrderDesk).place({ id: 'o-1', status: 'VALIDATED' });
    const key = Buffer.from('o-1');
    // Written raw, as a producer outside streamwise that claims to be another service would.
    await tap.produce(Orders.name, [
      {
        key,
        value: Buffer.from(JSON.stringify({ id: 'o-1', status: 'FAILED' })),
        partition: partitionForKey(key, 2),
        headers: { 'sw-producer': 'payments-service' },
      },
      { key, value: null, partition: partitionForKey(key, 2), headers: { 'sw-producer': 'x' } },
    ]);
    // Same key, so same partition: once this is seen, the forged records before it were read.
    await a.service(OrderDesk).place({ id: 'o-1', status: 'SHIPPED' });

    const watcher = b.service(OrderWatcher);
    const board = b.service(OrderBoard).orders;
    await waitFor(() => watcher.seen.includes('SHIPPED'), 'the watcher handling SHIPPED');
    await waitFor(() => board.get('o-1')?.status === 'SHIPPED', 'the view applying SHIPPED');
    await waitFor(() => dead.length >= 1, 'the dead letter of the forged record');
    expect(watcher.seen).toEqual(['VALIDATED', 'SHIPPED']);
    expect(board.skipped['foreign-producer']).toBe(2);
    expect(dead.map((r) => r.headers[DeadLetterHeaderNames.REASON])).toEqual(['foreign-producer']);
    expect(dead[0].headers[DeadLetterHeaderNames.SERVICE]).toBe('order-watcher');
  });
});
