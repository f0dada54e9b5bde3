import { createRequire } from 'node:module';

import { recordBatchBytes, recordBatchBytesAtMost } from './record-batch-size';
import type { OutgoingRecord } from './transport';

// kafkajs' own encoders (internal modules, untyped), to check the sizes against real v2 batches.
const load = createRequire(__filename);
const encodeRecord = load('kafkajs/src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string | Buffer | readonly Buffer[]>;
}) => unknown;
const { RecordBatch: encodeBatch } = load('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: { records: unknown[] }) => Promise<{ buffer: Buffer }>;
};

async function kafkajsBatchBytes(records: readonly OutgoingRecord[]): Promise<number> {
  const base = records[0]?.timestamp ?? 0;
  const encoded = await encodeBatch({
    records: records.map((record, index) =>
      encodeRecord({
        offsetDelta: index,
        timestampDelta: (record.timestamp ?? base) - base,
        key: record.key,
        value: record.value,
        // Raw header bytes go out where no text value of the same name does (as the writers do).
        headers: { ...record.rawHeaders, ...record.headers },
      }),
    ),
  });
  return encoded.buffer.length;
}

const samples: Record<string, OutgoingRecord[]> = {
  'one plain record': [{ partition: 0, key: Buffer.from('k'), value: Buffer.from('{"a":1}') }],
  'null key, tombstone, no headers': [
    { partition: 0, key: null, value: Buffer.from('v') },
    { partition: 0, key: Buffer.from('k'), value: null },
  ],
  'unicode and empty headers, spread timestamps': [
    {
      partition: 0,
      key: Buffer.from('ключ'),
      value: Buffer.alloc(300, 1),
      headers: { 'sw-producer': 'orders-service', emoji: '🍕 pizza', empty: '' },
      timestamp: 1_700_000_000_000,
    },
    {
      partition: 0,
      key: Buffer.from('k2'),
      value: Buffer.alloc(20_000, 2),
      headers: { 'sw-event-id': 'x'.repeat(200) },
      timestamp: 1_700_000_100_000,
    },
  ],
};

samples['raw header bytes, repeated names'] = [
  {
    partition: 0,
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    headers: { 'sw-producer': 'orders-service' },
    rawHeaders: {
      binary: Buffer.from([0xff, 0xfe, 0x00]),
      repeated: [Buffer.from('a'), Buffer.from('bb')],
      'sw-producer': Buffer.from('ignored: the text value is sent'),
    },
  },
];

describe('record batch sizes', () => {
  it.each(Object.entries(samples))(
    'recordBatchBytes is the size kafkajs encodes (%s), and the bound is never below it',
    async (_name, records) => {
      const exact = recordBatchBytes(records);
      expect(exact).toBe(await kafkajsBatchBytes(records));
      expect(recordBatchBytesAtMost(records)).toBeGreaterThanOrEqual(exact);
    },
  );
});
