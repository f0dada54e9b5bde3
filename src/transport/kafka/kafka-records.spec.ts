import { TransportError } from '../../errors/transport-error';
import type { OutgoingRecord } from '../transport';
import {
  assertValidRecord,
  assignEntryOffsets,
  assignOffsets,
  toKafkaMessage,
  toTopicMessages,
} from './kafka-records';

const out = (partition: number, extra: Partial<OutgoingRecord> = {}): OutgoingRecord => ({
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  partition,
  ...extra,
});

describe('kafka record conversions', () => {
  it('sends the explicit partition, string headers and the timestamp as a string', () => {
    expect(toKafkaMessage(out(3, { headers: { a: '1' }, timestamp: 42 }), 99)).toEqual({
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      partition: 3,
      headers: { a: '1' },
      timestamp: '42',
    });
    expect(toKafkaMessage(out(0, { key: null, value: null }), 99)).toMatchObject({
      key: null,
      value: null,
      headers: undefined,
      timestamp: '99',
    });
  });

  it('numbers each record from its partition’s base offset, in send order', () => {
    const records = [out(1), out(0), out(1), out(1), out(0)];
    const metadata = assignOffsets('t', records, [
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '10' },
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '0' },
    ]);
    expect(metadata.map((m) => [m.partition, m.offset])).toEqual([
      [1, 10],
      [0, 0],
      [1, 11],
      [1, 12],
      [0, 1],
    ]);
  });

  it('merges entries into one message list per topic, in entry order, and numbers them back per entry', () => {
    const entries = [
      { topic: 't', records: [out(0, { value: Buffer.from('a') }), out(1)] },
      { topic: 'u', records: [out(0)] },
      { topic: 't', records: [out(0, { value: Buffer.from('b') })] },
    ];
    const batch = toTopicMessages(entries, 99);
    expect(batch.map(({ topic, messages }) => [topic, messages.length])).toEqual([
      ['t', 3],
      ['u', 1],
    ]);
    expect(batch[0]?.messages.map((m) => String(m.value))).toEqual(['a', 'v', 'b']);
    const metadata = assignEntryOffsets(entries, [
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '7' },
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '3' },
      { topicName: 'u', partition: 0, errorCode: 0, baseOffset: '0' },
    ]);
    expect(metadata).toEqual([
      [
        { topic: 't', partition: 0, offset: 7 },
        { topic: 't', partition: 1, offset: 3 },
      ],
      [{ topic: 'u', partition: 0, offset: 0 }],
      [{ topic: 't', partition: 0, offset: 8 }],
    ]);
  });

  it('fails loudly when the broker reported no offset for a partition', () => {
    expect(() => assignOffsets('t', [out(2)], [])).toThrow(TransportError);
  });

  it.each<[string, Partial<OutgoingRecord>, RegExp]>([
    ['a negative partition', { partition: -1 }, /partition -1/],
    ['a fractional partition', { partition: 0.5 }, /partition 0.5/],
    [
      'a string value',
      { value: 'v' as unknown as Buffer },
      /value that is neither a Buffer nor null/,
    ],
    ['a bad timestamp', { timestamp: Number.NaN }, /timestamp NaN/],
    ['a non-text header', { headers: { h: 1 as unknown as string } }, /header "h"/],
  ])('rejects %s before sending', (_, extra, message) => {
    expect(() => assertValidRecord('t', out(0, extra), 0)).toThrow(message);
  });
});
