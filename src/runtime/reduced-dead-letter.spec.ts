import { createHash } from 'node:crypto';

import { ManualClock } from '../clock/manual-clock';
import { defineTopic } from '../codec/define-topic';
import { describeService } from '../decorators/describe-service';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { ConfigurationError } from '../errors/configuration-error';
import { TransportError } from '../errors/transport-error';
import type { LogFields, Logger } from '../logging/logger';
import { planTopics } from '../model/topic-plan';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../model/topics/header-names';
import { TestBed } from '../testing/test-bed';
import { MemoryBroker } from '../transport/memory/memory-broker';
import type { DeliveredRecord, OutgoingRecord, RecordOutput } from '../transport/transport';
import { ServiceDispatcher } from './service-dispatcher';
import { StreamService } from './stream-service';
import { TopicWriters } from './topic-writers';

interface Blob {
  id: string;
  step: number;
  pad?: string;
}
const Blobs = defineTopic<Blob>({ name: 'blobs', entity: 'Blob', key: (b) => b.id, partitions: 2 });

@Service('blob-source')
@OwnsTopic(Blobs)
class BlobSource extends StreamService {}

@Service('blob-worker', { retry: { attempts: 1 } })
class BlobWorker extends StreamService {
  readonly handled: number[] = [];

  @EventHandler(Blobs)
  work(blob: Blob): void {
    if (blob.pad !== undefined) throw new ConfigurationError('blobs with padding are refused');
    this.handled.push(blob.step);
  }
}

class ErrorLog implements Logger {
  readonly errors: { message: string; fields?: LogFields }[] = [];
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(message: string, fields?: LogFields): void {
    this.errors.push({ message, fields });
  }
  child(): Logger {
    return this;
  }
}

/** A value of `size` bytes that is still a valid Blob. */
function paddedBlob(id: string, size: number): Buffer {
  const shell = JSON.stringify({ id, step: 1, pad: '' });
  return Buffer.from(JSON.stringify({ id, step: 1, pad: 'x'.repeat(size - shell.length) }));
}

describe('a dead-letter copy the broker refuses', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it('writes a reduced dead letter (no value, its size and sha-256) and the partition moves on', async () => {
    // A dead-letter topic created before streamwise sized them: Kafka's default 1 MiB limit.
    const broker = new MemoryBroker();
    broker.createTopic({ name: deadLetterTopicName(Blobs.name), partitions: 2, compacted: false });
    const logger = new ErrorLog();
    bed = await TestBed.start([BlobSource, BlobWorker], { broker, logger });

    const value = paddedBlob('big', 1_048_400);
    const big = await bed.sendRaw(Blobs, { key: 'big', value });
    await bed.send(Blobs, { id: 'big', step: 2 });
    await bed.drain();

    expect(bed.service(BlobWorker).handled).toEqual([2]);
    const dead = bed.deadLetters(Blobs).raw();
    expect(dead).toHaveLength(1);
    expect(dead[0].value).toBeNull();
    expect(dead[0].headers).toMatchObject({
      [DeadLetterHeaderNames.SOURCE_TOPIC]: 'blobs',
      [DeadLetterHeaderNames.SOURCE_PARTITION]: String(big.partition),
      [DeadLetterHeaderNames.SOURCE_OFFSET]: String(big.offset),
      [DeadLetterHeaderNames.REASON]: 'handler-failed',
      [DeadLetterHeaderNames.ERROR_MESSAGE]: 'blobs with padding are refused',
      [DeadLetterHeaderNames.VALUE_SIZE]: String(value.length),
      [DeadLetterHeaderNames.VALUE_DIGEST]: `sha-256:${createHash('sha256').update(value).digest('hex')}`,
    });
    expect(dead[0].headers[DeadLetterHeaderNames.VALUE_OMITTED]).toMatch(/MESSAGE_TOO_LARGE/);
    const committed = await bed.app.transport.committedOffsets('blob-worker', 'blobs');
    expect(committed.map((offset) => offset ?? 0)).toEqual(
      await bed.app.transport.endOffsets('blobs'),
    );
    expect(logger.errors.map((e) => e.message)).toContain(
      'dead-letter copy refused; wrote a reduced dead letter without the value',
    );
  });

  it('creates dead-letter topics that take what their source takes, so the full copy fits', async () => {
    bed = await TestBed.start([BlobSource, BlobWorker]);
    const value = paddedBlob('big', 1_048_400);
    await bed.sendRaw(Blobs, { key: 'big', value });
    await bed.drain();

    const dead = bed.deadLetters(Blobs).raw();
    expect(dead).toHaveLength(1);
    expect(dead[0].value?.equals(value)).toBe(true);
    expect(dead[0].headers[DeadLetterHeaderNames.VALUE_OMITTED]).toBeUndefined();
    expect(planTopics([describeService(BlobWorker)])).toContainEqual({
      name: 'blobs.dlq',
      partitions: 2,
      compacted: false,
      config: { 'max.message.bytes': String(1_048_588 + 1_048_576) },
    });
    const Roomy = defineTopic<Blob>({
      name: 'roomy',
      entity: 'Blob',
      key: (b) => b.id,
      config: { 'max.message.bytes': '5000000' },
    });
    @Service('roomy-worker')
    class RoomyWorker extends StreamService {
      @EventHandler(Roomy)
      work(): void {}
    }
    expect(planTopics([describeService(RoomyWorker)])).toContainEqual(
      expect.objectContaining({
        name: 'roomy.dlq',
        config: { 'max.message.bytes': String(5_000_000 + 1_048_576) },
      }),
    );
  });

  it('counts full and reduced dead letters, and leaves the record for redelivery when the broker is only unavailable', async () => {
    const sent: { topic: string; records: readonly OutgoingRecord[] }[] = [];
    let refusal: Error | undefined = new TransportError('MESSAGE_TOO_LARGE', { retriable: false });
    const output: RecordOutput = {
      produce: (topic, records) => {
        const error = refusal;
        refusal = undefined;
        if (error !== undefined) return Promise.reject(error);
        sent.push({ topic, records });
        return Promise.resolve();
      },
    };
    const dispatcher = new ServiceDispatcher(describeService(BlobWorker), new BlobWorker(), {
      writers: TopicWriters.build([describeService(BlobSource)]),
      clock: new ManualClock(),
      logger: new ErrorLog(),
    });
    const record = (offset: number): DeliveredRecord => ({
      topic: 'blobs',
      partition: 0,
      offset,
      key: Buffer.from('k'),
      value: paddedBlob('k', 200),
      headers: {},
      timestamp: 0,
    });

    await dispatcher.handle(record(0), output);
    expect(sent[0].records[0].value).toBeNull();
    await dispatcher.handle(record(1), output);
    expect(sent[1].records[0].value).not.toBeNull();
    expect(dispatcher.deadLetterCounts).toEqual({ full: 1, reduced: 1 });

    refusal = new TransportError('broker unavailable', { retriable: true });
    await expect(dispatcher.handle(record(2), output)).rejects.toThrow('broker unavailable');
    expect(dispatcher.deadLetterCounts).toEqual({ full: 1, reduced: 1 });
  });
});
