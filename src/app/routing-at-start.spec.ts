import { orderIds, Orders, OrdersService } from '../../test/support/routed-orders';
import { waitFor } from '../../test/support/wait-for';
import { buildEnvelope } from '../codec/envelope';
import { SilentLogger } from '../logging/silent-logger';
import { INSTANCE_CLAIMS_TOPIC } from '../model/topic-plan';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { OutgoingRecord, Subscription, SubscriptionOptions } from '../transport/transport';
import { StreamwiseApp } from './streamwise-app';

const ids = orderIds;

/**
 * Delivers the instance-claims topic late, as a Kafka consumer's fetch does: a claim an instance
 * wrote is not yet in its own view when its start-up work is done.
 */
class SlowClaimsTransport extends MemoryTransport {
  override subscribe(options: SubscriptionOptions): Promise<Subscription> {
    if (!options.topics.includes(INSTANCE_CLAIMS_TOPIC)) return super.subscribe(options);
    return super.subscribe({
      ...options,
      handle: async (record, output) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await options.handle(record, output);
      },
    });
  }
}

function orderRecord(id: string): OutgoingRecord {
  return buildEnvelope(
    Orders,
    { id, state: 'CREATED' },
    {
      producer: 'orders-service',
      timestamp: Date.now(),
    },
  ).record;
}

async function statuses(app: StreamwiseApp): Promise<number[]> {
  return Promise.all(
    ids.map(async (id) => (await fetch(`${app.httpUrl as string}/orders/${id}`)).status),
  );
}

describe('routing right after start() and during rebalances', () => {
  const apps: StreamwiseApp[] = [];
  const broker = new MemoryBroker();
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    for (const name of broker.topicNames()) broker.deleteTopic(name);
  });

  async function startApp(): Promise<StreamwiseApp> {
    const logger = new SilentLogger();
    const app = StreamwiseApp.create({
      services: [OrdersService],
      transport: new SlowClaimsTransport({ broker, logger }),
      logger,
    });
    apps.push(app);
    return app.start();
  }

  it('answers a GET sent as soon as start() resolved (404, never 503)', async () => {
    const app = await startApp();
    expect(new Set(await statuses(app))).toEqual(new Set([404]));
  });

  it('answers GETs at either instance as soon as the second one started (200, never 503)', async () => {
    const first = await startApp();
    await first.transport.produce(
      Orders.name,
      ids.map((id) => orderRecord(id)),
    );
    const second = await startApp();
    expect(new Set(await statuses(second))).toEqual(new Set([200]));
    expect(new Set(await statuses(first))).toEqual(new Set([200]));
  });
  it('answers GETs sent while a second instance joins and partitions move (200, never 503)', async () => {
    const first = await startApp();
    await first.transport.produce(
      Orders.name,
      ids.map((id) => orderRecord(id)),
    );
    await waitFor(
      async () => (await statuses(first)).every((status) => status === 200),
      'the first instance answers every id',
    );
    let joined = false;
    const joining = startApp().finally(() => {
      joined = true;
    });
    const seen = new Set<number>();
    // Keep asking while the second instance claims partitions: some ids change holder under
    // these requests, and a request must wait for the new holder instead of failing.
    do {
      for (const status of await statuses(first)) seen.add(status);
    } while (!joined);
    await joining;
    for (const status of await statuses(first)) seen.add(status);
    expect(seen).toEqual(new Set([200]));
  });
});
