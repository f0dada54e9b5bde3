import { compileJsonSchema, jsonSchemaProblems } from './json-schema-validator';

const Order = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customer: {
      type: 'object',
      properties: { id: { type: 'number' }, email: { type: 'string', format: 'email' } },
      required: ['id'],
    },
    lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
  },
  required: ['id', 'customer'],
  additionalProperties: false,
};

describe('jsonSchemaProblems', () => {
  it('is empty for a valid value', () => {
    expect(jsonSchemaProblems(Order, { id: 'o-1', customer: { id: 7 } })).toEqual([]);
  });

  it('lists every failing path, not just the first', () => {
    expect(
      jsonSchemaProblems(Order, {
        customer: { id: 'seven' },
        lines: [{ qty: 1 }, { qty: 1.5 }],
        coupon: 'FREE',
      }),
    ).toEqual([
      '/id is required',
      '/coupon is not allowed',
      '/customer/id must be number',
      '/lines/1/qty must be integer',
    ]);
  });

  it('names the root as "/" when the value itself is wrong', () => {
    expect(jsonSchemaProblems(Order, 'an order')).toEqual(['/ must be object']);
  });

  it('treats format as an annotation (ajv-formats is not a dependency)', () => {
    expect(
      jsonSchemaProblems(Order, { id: 'o', customer: { id: 1, email: 'not-an-email' } }),
    ).toEqual([]);
  });

  it('validates draft 2020-12 schemas when $schema says so', () => {
    const Pair = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    };
    expect(jsonSchemaProblems(Pair, ['a', 1])).toEqual([]);
    expect(jsonSchemaProblems(Pair, ['a', 'b', 3])).toEqual([
      '/1 must be number',
      '/ must NOT have more than 2 items',
    ]);
  });
});

describe('compileJsonSchema', () => {
  it('compiles a schema once, and an equal copy (as fetched from a registry) to the same function', () => {
    const first = compileJsonSchema(Order);
    expect(compileJsonSchema(Order)).toBe(first);
    expect(compileJsonSchema(JSON.parse(JSON.stringify(Order)) as typeof Order)).toBe(first);
  });

  it('keeps two versions that share an $id apart', () => {
    const v1 = { $id: 'https://example.com/order', type: 'object', required: ['id'] };
    const v2 = { $id: 'https://example.com/order', type: 'object', required: ['id', 'total'] };
    expect(compileJsonSchema(v1)({ id: 1 })).toBe(true);
    expect(compileJsonSchema(v2)({ id: 1 })).toBe(false);
  });

  it('throws for a schema that is not valid JSON Schema', () => {
    expect(() => compileJsonSchema({ type: 'objekt' })).toThrow(/type/);
  });
});
