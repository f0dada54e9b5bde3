import { StreamwiseApp } from '../app/streamwise-app';
import { ManualClock } from '../clock/manual-clock';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { TransportError } from '../errors/transport-error';
import { SilentLogger } from '../logging/silent-logger';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { RecordOutput, Subscription, SubscriptionOptions } from '../transport/transport';
import { StreamService } from './stream-service';

const Commands = defineTopic<{ id: string }>({
  name: 'commands',
  entity: 'Command',
  key: (c) => c.id,
});
const Results = defineTopic<{ id: string }>({
  name: 'results',
  entity: 'Result',
  key: (r) => r.id,
});

@Service('command-source')
@OwnsTopic(Commands)
class CommandSource extends StreamService {}

@Service('command-runner', { retry: { attempts: 2, initialDelayMs: 1 } })
@OwnsTopic(Results)
class CommandRunner extends StreamService {
  attempts = 0;
  @EventHandler(Commands)
  async run(command: { id: string }): Promise<void> {
    this.attempts++;
    await this.publish(Results, command);
  }
}

/** A memory transport whose handler output to one topic fails like a broker that is down. */
class BrokerOutage extends MemoryTransport {
  failuresLeft: number;
  constructor(broker: MemoryBroker, clock: ManualClock, failures: number) {
    super({ broker, clock });
    this.failuresLeft = failures;
  }
  override subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const failing = (output: RecordOutput): RecordOutput => ({
      produce: (topic, records) =>
        topic === Results.name && this.failuresLeft-- > 0
          ? Promise.reject(
              new TransportError('Connection error: broker unreachable', { retriable: true }),
            )
          : output.produce(topic, records),
    });
    const { handleBatch } = options;
    return super.subscribe({
      ...options,
      handle: (record, output) => options.handle(record, failing(output)),
      // The batch entry too: the memory transport hands a stateless service its records that way.
      handleBatch:
        handleBatch &&
        ((batch) =>
          handleBatch({
            records: batch.records,
            output: (record) => failing(batch.output(record)),
            handled: (record) => batch.handled(record),
            halted: () => batch.halted(),
          })),
    });
  }
}

it('does not dead-letter a record when the broker fails: it stays uncommitted and is delivered again', async () => {
  const broker = new MemoryBroker();
  const clock = new ManualClock();
  const transport = new BrokerOutage(broker, clock, 5);
  const app = StreamwiseApp.create({
    services: [CommandSource, CommandRunner],
    transport,
    clock,
    logger: new SilentLogger(),
  });
  await app.start();
  const input = new MemoryTransport({ broker, clock });
  await input.connect();
  await input.produce(Commands.name, [
    { key: Buffer.from('c1'), value: Buffer.from('{"id":"c1"}'), partition: 0 },
  ]);

  // Five failed produces; each redelivery waits on the clock, which the test moves.
  for (let i = 0; i < 20 && broker.requireTopic(Results.name).partitions[0].endOffset === 0; i++) {
    await broker.settled();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10_000);
  }
  await broker.settled();

  expect(broker.requireTopic(Results.name).partitions[0].endOffset).toBe(1);
  expect(broker.requireTopic('commands.dlq').partitions[0].endOffset).toBe(0);
  expect(app.service(CommandRunner).attempts).toBe(6);
  expect(broker.group('command-runner').committed('commands', 0)).toBe(1);
  await input.disconnect();
  await app.stop();
});
