import { registerTestMetrics, type TestMetrics } from '../../test/support/otel-metrics';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

const Tasks = defineTopic<{ id: string }>({
  name: 'lag-tasks',
  entity: 'Task',
  key: (t) => t.id,
  partitions: 2,
});

@Service('lag-producer')
@OwnsTopic(Tasks)
class Producer extends StreamService {
  send(id: string): Promise<unknown> {
    return this.publish(Tasks, { id });
  }
}

class Gate {
  release: () => void = () => undefined;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
}

/** Holds every record until the gate opens: the backlog stays uncommitted meanwhile. */
@Service('lag-consumer')
class SlowConsumer extends StreamService {
  static gate = new Gate();
  readonly seen: string[] = [];
  @EventHandler(Tasks)
  async work(task: { id: string }): Promise<void> {
    await SlowConsumer.gate.opened;
    this.seen.push(task.id);
  }
}

describe('consumer lag per partition', () => {
  const apps: StreamwiseApp[] = [];
  let meters: TestMetrics | undefined;
  afterEach(async () => {
    SlowConsumer.gate.release();
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await meters?.stop();
  });

  async function start(services: [typeof Producer] | [typeof SlowConsumer], broker: MemoryBroker) {
    const app = StreamwiseApp.create({
      services,
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      http: false,
    });
    apps.push(app);
    return app.start();
  }

  it('is the end offset minus the committed offset, read when collected', async () => {
    meters = registerTestMetrics();
    SlowConsumer.gate = new Gate();
    const broker = new MemoryBroker();
    const producer = await start([Producer], broker);
    const ids = ['t1', 't2', 't3', 't4', 't5', 't6', 't7'];
    for (const id of ids) await producer.service(Producer).send(id);
    const ends = await producer.transport.endOffsets('lag-tasks');
    const consumer = await start([SlowConsumer], broker);

    const lag = (partition: number): Promise<number> =>
      (meters as TestMetrics).value('streamwise.consumer.lag', {
        'messaging.destination.name': 'lag-tasks',
        'messaging.destination.partition.id': String(partition),
        'messaging.consumer.group.name': 'lag-consumer',
      });
    // Nothing committed yet: each partition's whole backlog is lag.
    expect(await lag(0)).toBe(ends[0]);
    expect(await lag(1)).toBe(ends[1]);
    expect(ends[0] + ends[1]).toBe(ids.length);

    SlowConsumer.gate.release();
    await waitFor(() => consumer.service(SlowConsumer).seen.length === ids.length, 'all handled');
    await broker.settled();
    expect(await lag(0)).toBe(0);
    expect(await lag(1)).toBe(0);
  });
});
