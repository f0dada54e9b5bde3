import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { StreamwiseApp } from './streamwise-app';

function transport(): KafkaTransport {
  return new KafkaTransport({
    brokers: kafkaBrokers(),
    logger: new SilentLogger(),
    consumer: { maxWaitTimeMs: 100 },
  });
}

/** The samples of `name` in a Prometheus text whose labels include `labels`, by partition. */
function byPartition(text: string, name: string, labels: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(labels)) continue;
    const partition = /messaging_destination_partition_id="(\d+)"/.exec(line)?.[1];
    if (partition !== undefined) samples.set(partition, Number(line.split(' ').at(-1)));
  }
  return samples;
}

describe('consumer lag on the real broker, scraped from GET /metrics', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it('reports the backlog per partition, and 0 once it is handled and committed', async () => {
    const Tasks = defineTopic<{ id: string }>({
      name: uniqueName('lag-tasks'),
      entity: 'Task',
      key: (t) => t.id,
      partitions: 2,
    });
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    teardown.add('the gate', null, () => open());

    @Service(uniqueName('lag-producer'))
    @OwnsTopic(Tasks)
    class Producer extends StreamService {
      send(id: string): Promise<unknown> {
        return this.publish(Tasks, { id });
      }
    }
    const group = uniqueName('lag-consumer');
    @Service(group)
    class SlowConsumer extends StreamService {
      readonly seen: string[] = [];
      @EventHandler(Tasks)
      async work(task: { id: string }): Promise<void> {
        await gate;
        this.seen.push(task.id);
      }
    }

    const producer = teardown.add(
      'the producer app',
      StreamwiseApp.create({
        services: [Producer],
        transport: transport(),
        logger: new SilentLogger(),
        http: false,
      }),
      (a) => a.stop(),
    );
    await producer.start();
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
    for (const id of ids) await producer.service(Producer).send(id);
    const ends = await producer.transport.endOffsets(Tasks.name);

    const consumer = teardown.add(
      'the consumer app',
      StreamwiseApp.create({
        services: [SlowConsumer],
        transport: transport(),
        logger: new SilentLogger(),
        metrics: { prometheus: true },
      }),
      (a) => a.stop(),
    );
    await consumer.start();
    const lag = async (): Promise<Map<string, number>> => {
      const response = await fetch(`${consumer.httpUrl as string}/metrics`);
      return byPartition(
        await response.text(),
        'streamwise_consumer_lag',
        `messaging_consumer_group_name="${group}"`,
      );
    };
    // The group holds both partitions once its first rebalance is done.
    await waitFor(async () => (await lag()).size === 2, 'lag of both partitions', {
      intervalMs: 200,
    });
    expect(await lag()).toEqual(
      new Map([
        ['0', ends[0]],
        ['1', ends[1]],
      ]),
    );

    open();
    await waitFor(() => consumer.service(SlowConsumer).seen.length === ids.length, 'all handled');
    await waitFor(
      async () => [...(await lag()).values()].every((value) => value === 0),
      'the lag to drop to 0 once committed',
      { intervalMs: 200 },
    );
  });
});
