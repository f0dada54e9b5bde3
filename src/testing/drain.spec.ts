import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { DrainDidNotSettleError } from '../errors/drain-did-not-settle-error';
import { UnknownTopicError } from '../errors/unknown-topic-error';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from './test-bed';

const Pings = defineTopic<{ n: number }>({ name: 'pings', entity: 'Ping', key: () => 'ping' });
const Pongs = defineTopic<{ n: number }>({ name: 'pongs', entity: 'Pong', key: () => 'pong' });
const Done = defineTopic<{ n: number }>({
  name: 'done',
  entity: 'Done',
  key: () => 'done',
  compacted: true,
});

@Service('pinger')
@OwnsTopic(Pings, Done)
class Pinger extends StreamService {
  @EventHandler(Pongs)
  async pong(value: { n: number }): Promise<void> {
    if (value.n >= 10) await this.publish(Done, value);
    else await this.publish(Pings, { n: value.n + 1 });
  }
}

@Service('ponger')
@OwnsTopic(Pongs)
class Ponger extends StreamService {
  @EventHandler(Pings)
  async ping(value: { n: number }): Promise<void> {
    await this.publish(Pongs, { n: value.n });
  }
}

@Service('echo')
@OwnsTopic(Pings)
class Echo extends StreamService {
  @EventHandler(Pings)
  async ping(value: { n: number }): Promise<void> {
    await this.publish(Pings, { n: value.n + 1 });
  }
}

describe('TestBed.drain and topic views', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('waits for chains of handlers across services', async () => {
    bed = await TestBed.start([Pinger, Ponger]);
    await bed.send(Pings, { n: 0 });
    await bed.drain();
    expect(
      bed
        .topic(Pings)
        .values()
        .map((v) => v.n),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bed.topic(Done).values()).toEqual([{ n: 10 }]);
  });

  it('fails instead of hanging when services feed each other forever', async () => {
    bed = await TestBed.start([Echo]);
    await bed.send(Pings, { n: 0 });
    await expect(bed.drain({ maxRecords: 500 })).rejects.toBeInstanceOf(DrainDidNotSettleError);
    await bed.app.stop();
  });

  it('lists records with partition, offset, key, value, headers and timestamp', async () => {
    bed = await TestBed.start([Pinger, Ponger]);
    bed.clock.advance(5_000);
    const sent = await bed.send(Pongs, { n: 10 });
    await bed.drain();
    const [record] = bed.topic(Done).records();
    expect(record).toMatchObject({
      partition: 0,
      offset: 0,
      key: 'done',
      value: { n: 10 },
      timestamp: bed.clock.now(),
    });
    expect(record.envelope?.eventId).toMatch(/^pinger-Done-done-v1-[0-9A-Z]{26}$/);
    expect(sent.eventId).toMatch(/^ponger-Pong-pong-v1-[0-9A-Z]{26}$/);
    expect(() => bed.topic('no-such-topic')).toThrow(UnknownTopicError);
  });

  it('dead-letters malformed input written with sendRaw', async () => {
    bed = await TestBed.start([Pinger, Ponger]);
    await bed.sendRaw(Pings, { key: 'ping', value: Buffer.from([0xff, 0xfe, 0x00]) });
    await bed.drain();
    const [dead] = bed.topic('pings.dlq').records();
    expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('undecodable');
    expect(dead.headers[DeadLetterHeaderNames.SERVICE]).toBe('ponger');
    expect(bed.topic(Pongs).count).toBe(0);
  });

  it('shows tombstones and compaction on a compacted topic', async () => {
    bed = await TestBed.start([Pinger, Ponger]);
    await bed.send(Done, { n: 1 });
    await bed.send(Done, { n: 2 });
    await bed.sendTombstone(Done, 'done');
    bed.compact(Done);
    const records = bed.topic(Done).records();
    expect(records.map((r) => [r.offset, r.value])).toEqual([[2, undefined]]);
    expect(bed.topic(Done).values()).toEqual([]);
  });
});
