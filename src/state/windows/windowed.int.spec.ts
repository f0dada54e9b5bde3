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
import { Windowed } from '../../decorators/windowed';
import { SilentLogger } from '../../logging/silent-logger';
import type { EventContext } from '../../model/service/event-context';
import { deadLetterTopicName } from '../../model/topics/header-names';
import { tumbling } from '../../model/windows/window-spec';
import { StreamService } from '../../runtime/stream-service';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import type { WindowedStore } from './windowed-store';

const MINUTE = 60_000;

describe('@Windowed on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it('counts out-of-order records inside the grace, dead-letters those beyond it, and survives a restart', async () => {
    const Clicks = defineTopic<{ page: string }>({
      name: uniqueName('clicks'),
      entity: 'Click',
      key: (c) => c.page,
      partitions: 2,
    });
    const Counts = defineTopic<{ page: string; start: number; count: number }>({
      name: uniqueName('counts'),
      entity: 'Count',
      key: (c) => c.page,
      partitions: 2,
    });
    const name = uniqueName('click-counter').toLowerCase();

    @Service(name)
    @OwnsTopic(Counts)
    class ClickCounter extends StreamService {
      @Windowed<string, { page: string }, number>('per-minute', {
        window: tumbling(MINUTE, { graceMs: 30_000 }),
        initial: () => 0,
        aggregate: (count) => count + 1,
        emit: 'update',
      })
      readonly perMinute!: WindowedStore<string, { page: string }, number>;

      @EventHandler(Clicks)
      async click(click: { page: string }, ctx: EventContext): Promise<void> {
        for (const result of this.perMinute.add(click.page, click, ctx.timestamp)) {
          await this.publish(Counts, {
            page: result.key,
            start: result.window.start,
            count: result.aggregate,
          });
        }
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
      { name: Clicks.name, partitions: 2, compacted: false },
      { name: Counts.name, partitions: 2, compacted: false },
      { name: deadLetterTopicName(Clicks.name), partitions: 2, compacted: false },
    ]);
    const counts = new RecordCollector();
    const dead = new RecordCollector();
    const subscribe = async (options: Parameters<KafkaTransport['subscribe']>[0]) =>
      teardown.add('a reader', await client.subscribe(options), (r) => r.stop());
    await subscribe({
      groupId: uniqueName('r'),
      topics: [Counts.name],
      offsetReset: 'earliest',
      handle: counts.handle,
    });
    await subscribe({
      groupId: uniqueName('d'),
      topics: [deadLetterTopicName(Clicks.name)],
      offsetReset: 'earliest',
      handle: dead.handle,
    });
    // Event times in the recent past: Kafka refuses timestamps far ahead of its clock.
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
    const click = async (offsetMs: number) => {
      const { record } = buildEnvelope(
        Clicks,
        { page: 'home' },
        { producer: 'test', timestamp: base + offsetMs },
      );
      await client.produce(Clicks.name, [record]);
    };
    const start = () =>
      teardown
        .add(
          'an app',
          StreamwiseApp.create({
            services: [ClickCounter],
            transport: transport(),
            logger: new SilentLogger(),
            http: false,
          }),
          (a) => a.stop(),
        )
        .start();
    let app = await start();
    await click(10_000); // window [0, 1m): 1
    await click(70_000); // window [1m, 2m): 1; stream time 70s
    await click(20_000); // out of order, inside the grace (window 0 closes at 90s): 2
    await counts.waitForCount(3, 60_000);
    await app.stop();

    app = await start(); // windows come back from the changelog
    await click(80_000); // window [1m, 2m): 2; stream time 80s
    await click(130_000); // stream time 130s: window 0 is closed now
    await click(5_000); // beyond the grace: dead letter
    await counts.waitForCount(5, 60_000);
    await dead.waitForCount(1, 60_000);
    await app.stop();

    const values = counts.values().map((v) => JSON.parse(v) as { start: number; count: number });
    expect(values.map((v) => [v.start - base, v.count])).toEqual([
      [0, 1],
      [MINUTE, 1],
      [0, 2],
      [MINUTE, 2],
      [2 * MINUTE, 1],
    ]);
    expect(dead.records[0].headers['sw-dlq-error-code']).toBe('SW_LATE_RECORD');
  });
});
