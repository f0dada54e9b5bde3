import { createHash } from 'node:crypto';

import { kafkaBrokers } from '../../test/support/kafka-env';
import { RecordCollector } from '../../test/support/record-collector';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { StreamwiseApp } from '../app/streamwise-app';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { ConfigurationError } from '../errors/configuration-error';
import { SilentLogger } from '../logging/silent-logger';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../model/topics/header-names';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { StreamService } from './stream-service';

interface Blob {
  id: string;
  step: number;
  pad?: string;
}

/** A valid Blob of exactly `size` bytes. */
function paddedBlob(id: string, size: number): Buffer {
  const shell = JSON.stringify({ id, step: 1, pad: '' });
  return Buffer.from(JSON.stringify({ id, step: 1, pad: 'x'.repeat(size - shell.length) }));
}

const transport = (): KafkaTransport =>
  new KafkaTransport({
    brokers: kafkaBrokers(),
    logger: new SilentLogger(),
    kafkaLogLevel: 'nothing',
    consumer: { maxWaitTimeMs: 100 },
  });

describe('dead letters of records near the broker limit, on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  async function run(options: { oldDeadLetterTopic: boolean }) {
    const Blobs = defineTopic<Blob>({
      name: uniqueName('blobs'),
      entity: 'Blob',
      key: (b) => b.id,
      partitions: 1,
    });
    const handled: number[] = [];
    @Service(uniqueName('blob-worker').toLowerCase(), { retry: { attempts: 1 } })
    class BlobWorker extends StreamService {
      @EventHandler(Blobs)
      work(blob: Blob): void {
        if (blob.pad !== undefined) throw new ConfigurationError('blobs with padding are refused');
        handled.push(blob.step);
      }
    }
    const admin = teardown.add('a transport', transport(), (t) => t.disconnect());
    await admin.connect();
    if (options.oldDeadLetterTopic) {
      // As a dead-letter topic made before streamwise sized them: the broker's default limit.
      await admin.createTopics([
        { name: deadLetterTopicName(Blobs.name), partitions: 1, compacted: false },
      ]);
    }
    const app = teardown.add(
      'an app',
      StreamwiseApp.create({
        services: [BlobWorker],
        transport: transport(),
        logger: new SilentLogger(),
      }),
      (a) => a.stop(),
    );
    await app.start();

    // Fits the source topic (Kafka's default 1 MiB); its copy with sw-dlq-* headers does not.
    const value = paddedBlob('big', 1_048_500);
    await admin.produce(Blobs.name, [{ key: Buffer.from('big'), value, partition: 0 }]);
    const next = Buffer.from(JSON.stringify({ id: 'big', step: 2 }));
    await admin.produce(Blobs.name, [{ key: Buffer.from('big'), value: next, partition: 0 }]);

    const dead = new RecordCollector();
    teardown.add(
      'a dead-letter reader',
      await admin.subscribe({
        groupId: uniqueName('dlq-reader'),
        topics: [deadLetterTopicName(Blobs.name)],
        offsetReset: 'earliest',
        handle: dead.handle,
      }),
      (s) => s.stop(),
    );
    const [letter] = await dead.waitForCount(1, 60_000);
    await waitFor(() => handled.includes(2), 'the record behind the big one to be handled', {
      timeoutMs: 60_000,
    });
    return { letter, value };
  }

  it('writes a reduced dead letter when the dead-letter topic refuses the copy, and moves on', async () => {
    const { letter, value } = await run({ oldDeadLetterTopic: true });
    expect(letter.value).toBeNull();
    expect(letter.headers).toMatchObject({
      [DeadLetterHeaderNames.SOURCE_OFFSET]: '0',
      [DeadLetterHeaderNames.VALUE_SIZE]: String(value.length),
      [DeadLetterHeaderNames.VALUE_DIGEST]: `sha-256:${createHash('sha256').update(value).digest('hex')}`,
    });
    expect(letter.headers[DeadLetterHeaderNames.VALUE_OMITTED]).toMatch(/MESSAGE_TOO_LARGE/);
  });

  it('creates dead-letter topics that take the full copy of what their source took', async () => {
    const { letter, value } = await run({ oldDeadLetterTopic: false });
    expect(letter.value?.equals(value)).toBe(true);
    expect(letter.headers[DeadLetterHeaderNames.VALUE_OMITTED]).toBeUndefined();
  });
});
