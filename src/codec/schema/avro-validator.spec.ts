import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import { avroProblems, avroTypeOf } from './avro-validator';

const Order: AvroRecordSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    {
      name: 'customer',
      type: { type: 'record', name: 'Customer', fields: [{ name: 'id', type: 'long' }] },
    },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
  ],
};

describe('avroProblems', () => {
  it('is empty for a valid value, fields with defaults may be left out', () => {
    expect(avroProblems(Order, { id: 'o-1', customer: { id: 7 } })).toEqual([]);
    expect(
      avroProblems(Order, { id: 'o-1', customer: { id: 7 }, note: 'hi', tags: ['a'] }),
    ).toEqual([]);
  });

  it('lists every failing path with the type it must have', () => {
    expect(avroProblems(Order, { customer: { id: 'seven' }, note: 5, tags: ['a', 2] })).toEqual([
      '/id is required',
      '/customer/id must be long',
      '/note must be one of null, string',
      '/tags/1 must be string',
    ]);
  });

  it('refuses undeclared fields, which Avro would drop silently', () => {
    expect(avroProblems(Order, { id: 'o', customer: { id: 1 }, coupon: 'FREE' })).toEqual([
      '/coupon is not allowed',
    ]);
  });

  it('names a nested record it expected', () => {
    expect(avroProblems(Order, { id: 'o', customer: 'ann' })).toEqual([
      '/customer must be record shop.Customer',
    ]);
  });
});

describe('avroTypeOf', () => {
  it('parses a schema once, and an equal copy to the same type', () => {
    const type = avroTypeOf(Order);
    expect(avroTypeOf(Order)).toBe(type);
    expect(avroTypeOf(JSON.parse(JSON.stringify(Order)) as AvroRecordSchema)).toBe(type);
  });
});
