import { ManualClock } from '../clock/manual-clock';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import type { EventContext } from '../model/service/event-context';
import { ENVELOPE_HEADER, envelopeHeaderValue } from '../model/topics/envelope-header';
import { DeadLetterHeaderNames, HeaderNames } from '../model/topics/header-names';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from '../testing/test-bed';
import { MemoryBroker } from '../transport/memory/memory-broker';

interface Parcel {
  id: string;
  weight: number;
}
const Parcels = defineTopic<Parcel>({
  name: 'enveloped-parcels',
  entity: 'Parcel',
  key: (p) => p.id,
  partitions: 2,
  owner: 'parcel-desk',
});

@Service('parcel-desk')
@OwnsTopic(Parcels)
class ParcelDesk extends StreamService {
  send(parcel: Parcel) {
    return this.publish(Parcels, parcel);
  }
}

@Service('parcel-watcher')
class ParcelWatcher extends StreamService {
  readonly seen: { id: string; eventId?: string; producer?: string }[] = [];
  @EventHandler(Parcels)
  on(parcel: Parcel, ctx: EventContext): void {
    this.seen.push({ id: parcel.id, eventId: ctx.eventId, producer: ctx.producer });
  }
}

const EVENT_ID = /^parcel-desk-Parcel-p-1-v1-[0-9A-Z]{26}$/;

describe('the envelope in one header or four', () => {
  const beds: TestBed[] = [];
  afterEach(async () => {
    await Promise.all(beds.splice(0).map((bed) => bed.stop()));
  });

  /** A writer and a reader app on one broker, each writing the envelope its own way. */
  async function apps(writer: 'single' | 'separate', reader: 'single' | 'separate') {
    const broker = new MemoryBroker();
    const clock = new ManualClock();
    const writes = await TestBed.start([ParcelDesk], { broker, clock, envelopeHeaders: writer });
    beds.push(writes);
    const reads = await TestBed.start([ParcelWatcher], { broker, clock, envelopeHeaders: reader });
    beds.push(reads);
    return { writes, reads };
  }

  it.each([
    ['single', 'separate'],
    ['separate', 'single'],
  ] as const)(
    'an app writing %s headers and one writing %s read each other: a rolling upgrade',
    async (writer, reader) => {
      const { writes, reads } = await apps(writer, reader);
      await writes.service(ParcelDesk).send({ id: 'p-1', weight: 2 });
      await reads.drain();
      const [record] = writes.topic(Parcels).records();
      const names = Object.keys(record.headers).sort();
      expect(names).toEqual(
        writer === 'single'
          ? [ENVELOPE_HEADER]
          : [
              HeaderNames.EVENT_ID,
              HeaderNames.PRODUCER,
              HeaderNames.SCHEMA_VERSION,
              HeaderNames.EVENT_TYPE,
            ].sort(),
      );
      const [seen, ...more] = reads.service(ParcelWatcher).seen;
      expect(more).toEqual([]);
      expect(seen).toMatchObject({ id: 'p-1', producer: 'parcel-desk' });
      expect(seen.eventId).toMatch(EVENT_ID);
      expect(reads.deadLetters(Parcels).count).toBe(0);
    },
  );

  it('checks the producer of an sw-envelope header as of an sw-producer one', async () => {
    const { writes, reads } = await apps('single', 'single');
    const forged = envelopeHeaderValue({
      schemaVersion: '1',
      producer: 'rogue-service',
      eventType: 'Parcel',
      eventId: 'rogue-service-Parcel-p-2-v1',
    });
    await writes.sendRaw(Parcels, {
      key: 'p-2',
      value: JSON.stringify({ id: 'p-2', weight: 1 }),
      headers: { [ENVELOPE_HEADER]: forged },
    });
    await writes.sendRaw(Parcels, {
      key: 'p-3',
      value: JSON.stringify({ id: 'p-3', weight: 1 }),
      headers: { [HeaderNames.PRODUCER]: 'rogue-service' },
    });
    await reads.drain();
    expect(reads.service(ParcelWatcher).seen).toEqual([]);
    expect(
      reads
        .deadLetters(Parcels)
        .records()
        .map((r) => [r.key, r.headers[DeadLetterHeaderNames.REASON]])
        .sort(),
    ).toEqual([
      ['p-2', 'foreign-producer'],
      ['p-3', 'foreign-producer'],
    ]);
  });

  it('treats an sw-envelope it cannot read as no envelope: the unsigned-records policy decides', async () => {
    const broker = new MemoryBroker();
    const bed = await TestBed.start([ParcelWatcher], { broker, unsignedRecords: 'dead-letter' });
    beds.push(bed);
    await bed.sendRaw(Parcels, {
      key: 'p-4',
      value: JSON.stringify({ id: 'p-4', weight: 1 }),
      headers: { [ENVELOPE_HEADER]: '2;1;parcel-desk;Parcel;a-later-format' },
    });
    await bed.drain();
    expect(bed.service(ParcelWatcher).seen).toEqual([]);
    const [dead] = bed.deadLetters(Parcels).records();
    expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('unsigned-record');
  });
});
