import type { RecordsBatch } from '@platformatic/kafka';

import {
  assignEntryOffsets,
  lastFetchedOffset,
  toFetchedMessages,
  toPlatformaticMessage,
} from './platformatic-records';

function batch(
  firstOffset: bigint,
  records: RecordsBatch['records'],
  attributes = 0,
  producerId = -1n,
): RecordsBatch {
  return {
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: records.length === 0 ? 0 : Math.max(...records.map((r) => r.offsetDelta)),
    firstTimestamp: 1_700_000_000_000n,
    maxTimestamp: 1_700_000_000_000n,
    producerId,
    producerEpoch: -1,
    firstSequence: -1,
    records,
  };
}

function record(offsetDelta: number, headers: [Buffer | null, Buffer | null][] = []) {
  return {
    length: 0,
    attributes: 0,
    timestampDelta: BigInt(offsetDelta),
    offsetDelta,
    key: Buffer.from(`k${offsetDelta}`),
    value: offsetDelta === 1 ? null : Buffer.from(`v${offsetDelta}`),
    headers,
  };
}

describe('platformatic record conversions', () => {
  it('sends the explicit partition, the timestamp, raw headers (repeats kept) then text headers', () => {
    const message = toPlatformaticMessage(
      't',
      {
        key: Buffer.from('k'),
        value: null,
        partition: 3,
        timestamp: 42,
        headers: { text: 'x', both: 'text wins' },
        rawHeaders: { rep: [Buffer.from([1]), Buffer.from([2])], both: Buffer.from('raw') },
      },
      99,
    );
    expect(message).toMatchObject({
      topic: 't',
      partition: 3,
      timestamp: 42n,
      key: Buffer.from('k'),
    });
    expect('value' in message).toBe(false);
    const headers = [...(message.headers as Map<Buffer, Buffer>)].map(([name, value]) => [
      name.toString(),
      value.toString('hex'),
    ]);
    expect(headers).toEqual([
      ['rep', '01'],
      ['rep', '02'],
      ['text', Buffer.from('x').toString('hex')],
      ['both', Buffer.from('text wins').toString('hex')],
    ]);
    expect(toPlatformaticMessage('t', { key: null, value: null, partition: 0 }, 99).timestamp).toBe(
      99n,
    );
  });

  it('makes the bytes of a header value repeated from the last record once', () => {
    const send = (producer: string) =>
      toPlatformaticMessage(
        't',
        { key: null, value: null, partition: 0, headers: { 'x-cache-test': producer } },
        1,
      ).headers as Map<Buffer, Buffer>;
    const [[, first]] = [...send('orders')];
    const [[, again]] = [...send('orders')];
    const [[, other]] = [...send('payments')];
    expect(again).toBe(first);
    expect(other.toString()).toBe('payments');
    expect(first.toString()).toBe('orders');
  });

  it('numbers each record from its partition base offset, across entries', () => {
    const entries = [
      {
        topic: 'a',
        records: [0, 1, 0].map((partition) => ({ key: null, value: null, partition })),
      },
      { topic: 'a', records: [{ key: null, value: null, partition: 0 }] },
    ];
    const offsets = assignEntryOffsets(entries, {
      offsets: [
        { topic: 'a', partition: 0, offset: 10n },
        { topic: 'a', partition: 1, offset: 5n },
      ],
    });
    expect(offsets.map((entry) => entry.map((m) => `${m.partition}@${m.offset}`))).toEqual([
      ['0@10', '1@5', '0@11'],
      ['0@12'],
    ]);
    expect(() => assignEntryOffsets(entries, { offsets: [] })).toThrow(/reported no offset/);
  });

  it('reads fetched records from the position on, without transaction markers', () => {
    const batches = [
      batch(10n, [
        record(0),
        record(1, [
          [Buffer.from('h'), Buffer.from('1')],
          [Buffer.from('h'), Buffer.from('2')],
        ]),
      ]),
      batch(12n, [record(0)], 0b10_0000),
    ];
    const messages = toFetchedMessages(batches, 11n);
    expect(messages).toEqual([
      {
        offset: 11,
        key: Buffer.from('k1'),
        value: null,
        headers: { h: [Buffer.from('1'), Buffer.from('2')] },
        timestamp: 1700000000001,
      },
    ]);
    expect(lastFetchedOffset(batches)).toBe(12n);
    expect(lastFetchedOffset([])).toBeUndefined();
  });

  it('leaves out every aborted transaction, also several of one producer in one fetch', () => {
    const TRANSACTIONAL = 0b1_0000;
    const MARKER = 0b11_0000;
    const data = (offset: bigint) => batch(offset, [record(0)], TRANSACTIONAL, 7n);
    // A control record's key: version, then type (0 abort, 1 commit).
    const marker = (offset: bigint, type: number) => {
      const key = Buffer.alloc(4);
      key.writeInt16BE(type, 2);
      return batch(offset, [{ ...record(0), key }], MARKER, 7n);
    };
    // One producer: aborted, committed, aborted, committed, one record outside transactions.
    const batches = [
      data(0n),
      marker(1n, 0),
      data(2n),
      marker(3n, 1),
      data(4n),
      marker(5n, 0),
      data(6n),
      marker(7n, 1),
      batch(8n, [record(0)]),
    ];
    const aborted = [
      { producerId: 7n, firstOffset: 4n },
      { producerId: 7n, firstOffset: 0n },
    ];
    expect(toFetchedMessages(batches, 0n, aborted).map((m) => m.offset)).toEqual([2, 6, 8]);
    expect(toFetchedMessages(batches, 0n).map((m) => m.offset)).toEqual([0, 2, 4, 6, 8]);
  });

  it('keeps offsets a number cannot hold exactly as decimal strings', () => {
    const high = 2n ** 53n; // the first integer above Number.MAX_SAFE_INTEGER
    const messages = toFetchedMessages([batch(high - 1n, [record(0), record(2)])], high - 1n);
    expect(messages.map((m) => m.offset)).toEqual(['9007199254740991', '9007199254740993']);
    expect(toFetchedMessages([batch(high - 1n, [record(0), record(2)])], high).length).toBe(1);
  });

  it('hands records without headers one shared empty object', () => {
    const [first, second] = toFetchedMessages([batch(0n, [record(0), record(2)])], 0n);
    expect(first.headers).toEqual({});
    expect(first.headers).toBe(second.headers);
    expect(Object.isFrozen(first.headers)).toBe(true);
  });
});
