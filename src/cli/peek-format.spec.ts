import { encodeWireFormat } from '../codec/registry/wire-format';
import type { DeliveredRecord } from '../transport/transport';
import { formatPeeked, peekedRecord, showBytes } from './peek-format';

const record = (overrides: Partial<DeliveredRecord>): DeliveredRecord => ({
  topic: 'orders',
  partition: 1,
  offset: 7,
  key: Buffer.from('o-1'),
  value: Buffer.from('{"total":12}'),
  headers: {},
  timestamp: Date.UTC(2025, 0, 31, 12),
  ...overrides,
});

describe('how topics peek shows a record', () => {
  it('pretty-prints JSON, keeps text, and shows binary as base64', () => {
    expect(showBytes(Buffer.from('{"a":[1]}'))).toEqual({ encoding: 'json', json: { a: [1] } });
    expect(showBytes(Buffer.from('plain words'))).toEqual({
      encoding: 'utf8',
      text: 'plain words',
    });
    expect(showBytes(Buffer.from([0xff, 0xfe, 0x01]))).toEqual({
      encoding: 'base64',
      base64: '//4B',
    });
    expect(showBytes(Buffer.from([0x41, 0x01, 0x42]))).toEqual({
      encoding: 'base64',
      base64: 'QQFC',
    });
    expect(showBytes(null)).toEqual({ encoding: 'null' });
    expect(showBytes(encodeWireFormat(42, Buffer.from('{"b":2}')))).toEqual({
      encoding: 'json',
      json: { b: 2 },
      schemaId: 42,
    });
  });

  it('prints key, headers and value under a heading', () => {
    const shown = peekedRecord(record({ headers: { 'sw-event-type': 'order-placed' } }));
    expect(formatPeeked(shown)).toEqual([
      'orders[1]@7  2025-01-31T12:00:00.000Z',
      '  key: o-1',
      '  headers:',
      '    sw-event-type: order-placed',
      '  value:',
      '    {',
      '      "total": 12',
      '    }',
    ]);
  });

  it("decodes a dead letter's sw-dlq-* headers into a block of their own", () => {
    const shown = peekedRecord(
      record({
        topic: 'orders.dlq',
        key: null,
        value: Buffer.from([0xff]),
        headers: {
          'sw-event-id': 'e-1',
          'sw-dlq-reason': 'handler-failed',
          'sw-dlq-error': 'boom',
          'sw-dlq-offset': '3',
          'sw-dlq-validation': '[{"path":"/total","message":"must be number"}]',
        },
      }),
    );
    expect(shown.deadLetter).toEqual({
      reason: 'handler-failed',
      error: 'boom',
      offset: '3',
      validation: [{ path: '/total', message: 'must be number' }],
    });
    expect(shown.headers).toEqual({ 'sw-event-id': 'e-1' });
    expect(formatPeeked(shown)).toEqual([
      'orders.dlq[1]@7  2025-01-31T12:00:00.000Z',
      '  key: null',
      '  headers:',
      '    sw-event-id: e-1',
      '  dead letter:',
      '    reason: handler-failed',
      '    error: boom',
      '    offset: 3',
      '    validation:',
      '      [',
      '        {',
      '          "path": "/total",',
      '          "message": "must be number"',
      '        }',
      '      ]',
      '  value (binary, base64): /w==',
    ]);
  });
});
