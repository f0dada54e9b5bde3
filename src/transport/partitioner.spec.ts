import type { PartitionMetadata } from 'kafkajs';
import { Partitioners } from 'kafkajs';

import { murmur2, partitionForKey } from './partitioner';

const kafkajsPartitioner = Partitioners.DefaultPartitioner();

function kafkajsPartitionFor(key: Buffer, partitions: number): number {
  const partitionMetadata: PartitionMetadata[] = [...Array<undefined>(partitions)].map((_, i) => ({
    partitionErrorCode: 0,
    partitionId: i,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  return kafkajsPartitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** Keys of every byte length from 0 to 13 (so every tail length 0-3 after 0-3 full blocks). */
const byLength = Array.from({ length: 14 }, (_, n) =>
  Buffer.from('abcdefghijklmnopqrstuvwxyz'.slice(0, n), 'utf8'),
);

/** Bytes >= 0x80 in every position, where a signed/unsigned mix-up would change the hash. */
const highBytes = [
  Buffer.from([0xff]),
  Buffer.from([0x80, 0x7f]),
  Buffer.from([0x00, 0xff, 0x80]),
  Buffer.from([0xff, 0xff, 0xff, 0xff]),
  Buffer.from([0x80, 0x00, 0x00, 0x00, 0xfe]),
  Buffer.from([0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb]),
  Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba]),
  Buffer.from([0x00]),
  Buffer.from([0x00, 0x00, 0x00, 0x00]),
];

const textKeys = [
  'order-1',
  'order-2',
  'customer:42',
  '1234',
  '0',
  '-1',
  'é', // 2 bytes
  'ñandú', // mixed 1- and 2-byte characters
  '€', // 3 bytes
  '中文', // CJK, 6 bytes
  '日本語のキー', // CJK, 18 bytes
  '😀', // 4 bytes
  '😀a', // 5 bytes
  'a😀', // 5 bytes
  '👩‍👩‍👧‍👦', // emoji ZWJ sequence
  'Ω€😀x', // 1+2+3+4-byte characters, 10 bytes
  'the quick brown fox jumps over the lazy dog',
  'k'.repeat(1000),
  'αβγδεζηθικλμνξοπρστυφχψω'.repeat(20),
];

const keys: [string, Buffer][] = [
  ...byLength.map((b): [string, Buffer] => [`${b.length} ASCII bytes`, b]),
  ...highBytes.map((b): [string, Buffer] => [`bytes ${b.toString('hex')}`, b]),
  ...textKeys.map((k): [string, Buffer] => [
    JSON.stringify(k.length > 40 ? `${k.slice(0, 20)}…` : k),
    Buffer.from(k, 'utf8'),
  ]),
];

const partitionCounts = [1, 2, 3, 6, 7, 12, 100, 1009];

describe('partitionForKey matches kafkajs DefaultPartitioner (Java-compatible)', () => {
  it('covers at least 30 keys and every tail length', () => {
    expect(keys.length).toBeGreaterThanOrEqual(30);
    expect(new Set(keys.map(([, b]) => b.length % 4))).toEqual(new Set([0, 1, 2, 3]));
  });

  it.each(keys)('%s', (_label, key) => {
    for (const partitions of partitionCounts) {
      expect([partitions, partitionForKey(key, partitions)]).toEqual([
        partitions,
        kafkajsPartitionFor(key, partitions),
      ]);
    }
  });

  it('spreads keys over more than one partition', () => {
    const used = new Set(keys.map(([, key]) => partitionForKey(key, 12)));
    expect(used.size).toBeGreaterThan(6);
  });

  it('always returns a partition in range', () => {
    for (const [, key] of keys) {
      for (const partitions of partitionCounts) {
        const p = partitionForKey(key, partitions);
        expect(Number.isInteger(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(partitions);
      }
    }
  });

  it('accepts a plain Uint8Array like a Buffer', () => {
    const bytes = Buffer.from('order-1', 'utf8');
    expect(partitionForKey(new Uint8Array(bytes), 7)).toBe(partitionForKey(bytes, 7));
  });
});

describe('murmur2 against Kafka (Java) reference values', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  it.each<[string, Buffer, number]>([
    ['"21"', Buffer.from('21'), -973932308],
    ['"foobar"', Buffer.from('foobar'), -790332482],
    ['"a-little-bit-long-string"', Buffer.from('a-little-bit-long-string'), -985981536],
    ['"a-little-bit-longer-string"', Buffer.from('a-little-bit-longer-string'), -1486304829],
    [
      '"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"',
      Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'),
      -58897971,
    ],
    ["{'a','b','c'}", Buffer.from([0x61, 0x62, 0x63]), 479470107],
  ])('murmur2(%s) = %p', (_label, bytes, expected) => {
    expect(murmur2(bytes)).toBe(expected);
  });

  it('makes a negative hash positive with & 0x7fffffff (Utils.toPositive), not Math.abs', () => {
    // murmur2("21") = -973932308; toPositive gives 1173551340, Math.abs would give 973932308.
    expect(partitionForKey(Buffer.from('21'), 7)).toBe(1173551340 % 7);
    expect(partitionForKey(Buffer.from('21'), 7)).toBe(3);
    expect(partitionForKey(Buffer.from('21'), 100)).toBe(40);
    expect(partitionForKey(Buffer.from('foobar'), 12)).toBe((-790332482 & 0x7fffffff) % 12);
  });

  it('returns a signed 32-bit integer', () => {
    for (const [, key] of keys) {
      const h = murmur2(key);
      expect(h).toBe(h | 0);
    }
  });
});
