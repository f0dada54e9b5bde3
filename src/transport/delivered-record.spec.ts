import { decodeHeaders, toDeliveredRecord } from './delivered-record';

describe('delivered records', () => {
  it('decodes headers to text; a repeated header keeps its last value', () => {
    expect(
      decodeHeaders({
        a: Buffer.from('x'),
        b: [Buffer.from('1'), Buffer.from('2')],
        c: 'plain',
        d: undefined,
      }),
    ).toEqual({ a: 'x', b: '2', c: 'plain' });
    expect(decodeHeaders(undefined)).toEqual({});
  });

  it('gives every record without headers one shared, frozen empty object', () => {
    const none = decodeHeaders({});
    expect(none).toEqual({});
    expect(decodeHeaders(undefined)).toBe(none);
    expect(Object.isFrozen(none)).toBe(true);
    expect(decodeHeaders({ a: Buffer.from('x') })).not.toBe(none);
  });

  it('turns a fetched message into a DeliveredRecord with numeric offset and timestamp', () => {
    expect(
      toDeliveredRecord('t', 2, {
        key: null,
        value: Buffer.from('v'),
        timestamp: '1700000000000',
        offset: '17',
        headers: { h: Buffer.from('x') },
      }),
    ).toEqual({
      topic: 't',
      partition: 2,
      offset: 17,
      key: null,
      value: Buffer.from('v'),
      headers: { h: 'x' },
      rawHeaders: { h: Buffer.from('x') },
      timestamp: 1_700_000_000_000,
    });
  });
});
