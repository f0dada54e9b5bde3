import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { partitionForKey } from '../transport/partitioner';
import { StreamwiseApp } from './streamwise-app';

describe('key-routed queries across two instances on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it('answers GETs sent as soon as start() resolved (404 or 200, never 503)', async () => {
    const { OrdersService, start } = ordersFixture(teardown);
    const ids = Array.from({ length: 12 }, (_, i) => `o-${i}`);
    const statuses = (app: StreamwiseApp) =>
      Promise.all(
        ids.map(async (id) => (await fetch(`${app.httpUrl as string}/orders/${id}`)).status),
      );
    const first = await start();
    expect(new Set(await statuses(first))).toEqual(new Set([404]));
    for (const id of ids) await first.service(OrdersService).place(id);
    await waitFor(
      () => ids.every((id) => first.service(OrdersService).orders.has(id)),
      'the first instance to hold every order',
    );
    const second = await start();
    const [atSecond, atFirst] = await Promise.all([statuses(second), statuses(first)]);
    expect(new Set(atSecond)).toEqual(new Set([200]));
    expect(new Set(atFirst)).toEqual(new Set([200]));
  });

  it('answers the same from either instance', async () => {
    const { Orders, OrdersService, serviceName, start } = ordersFixture(teardown);
    const first = await start();
    const second = await start();
    const ids = Array.from({ length: 12 }, (_, i) => `o-${i}`);
    for (const id of ids) await first.service(OrdersService).place(id);
    const apps = [first, second];
    await waitFor(
      () =>
        ids.every((id) => {
          const partition = partitionForKey(Buffer.from(id), 4);
          const owners = apps.map(
            (app) => app.partitionHolder(serviceName, Orders.name, partition)?.instanceId,
          );
          const holder = apps.find((app) => app.service(OrdersService).orders.has(id));
          return holder !== undefined && owners.every((owner) => owner === holder.instanceId);
        }),
      'both instances to agree on every owner, and the owners to hold the orders',
      { timeoutMs: 60_000 },
    );
    for (const id of ids) {
      const answers = await Promise.all(
        apps.map(async (app) => {
          const response = await fetch(`${app.httpUrl as string}/orders/${id}`);
          return { status: response.status, body: await response.json() };
        }),
      );
      expect(answers).toEqual([
        { status: 200, body: { id, state: 'CREATED' } },
        { status: 200, body: { id, state: 'CREATED' } },
      ]);
    }
  });
});

/** A partitioned orders view with a key-routed GET, and a way to start instances of it. */
function ordersFixture(teardown: ReturnType<typeof teardownAfterEach>) {
  const Orders = defineTopic<{ id: string; state: string }>({
    name: uniqueName('orders'),
    entity: 'Order',
    key: (o) => o.id,
    partitions: 4,
    compacted: true,
  });
  const serviceName = uniqueName('orders-service').toLowerCase();

  @Service(serviceName)
  @OwnsTopic(Orders)
  class OrdersService extends StreamService {
    @Materialize(Orders, { mode: 'partitioned' })
    readonly orders!: ReadOnlyTable<string, { id: string; state: string }>;

    @Query('GET /orders/:id', { routeBy: 'id' })
    order(id: string) {
      return this.orders.get(id);
    }

    place(id: string) {
      return this.publish(Orders, { id, state: 'CREATED' });
    }
  }

  const start = () =>
    teardown
      .add(
        'an app',
        StreamwiseApp.create({
          services: [OrdersService],
          transport: new KafkaTransport({
            brokers: kafkaBrokers(),
            logger: new SilentLogger(),
            consumer: { maxWaitTimeMs: 100 },
          }),
          logger: new SilentLogger(),
        }),
        (app) => app.stop(),
      )
      .start();
  return { Orders, OrdersService, serviceName, start };
}
