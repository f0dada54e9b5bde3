import type { AvroField } from '../../../model/topics/avro-schema';
import type { TopicSchema } from '../topic-schema';
import { compatibilityProblems, readerIssues } from './compatibility-problems';

function json(schema: Record<string, unknown>): TopicSchema {
  return { type: 'JSON', schema };
}

function avro(fields: AvroField[]): TopicSchema {
  return { type: 'AVRO', schema: { type: 'record', name: 'Order', fields } };
}

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const closed = (properties: Record<string, unknown>, required: string[] = []) =>
  json(object(properties, required));

describe('compatibilityProblems', () => {
  const v1 = closed({ id: { type: 'string' }, amount: { type: 'number' } }, ['id', 'amount']);
  const removed = closed({ id: { type: 'string' } }, ['id']);

  it('says which direction failed, against which version, and names the field', () => {
    expect(compatibilityProblems('BACKWARD', removed, [{ version: 1, schema: v1 }])).toEqual([
      `new schema reading version 1 data: field "amount" is not allowed by the reader (additionalProperties: false), but the writer's data has it`,
    ]);
    expect(compatibilityProblems('FORWARD', removed, [{ version: 1, schema: v1 }])).toEqual([
      `version 1 schema reading new data: field "amount" is required by the reader but missing from the writer's data`,
    ]);
  });

  it('checks both directions under FULL', () => {
    expect(compatibilityProblems('FULL', removed, [{ version: 1, schema: v1 }])).toHaveLength(2);
  });

  it('compares with the latest version only, unless the level is transitive', () => {
    const history = [
      { version: 1, schema: v1 },
      { version: 2, schema: removed },
    ];
    expect(compatibilityProblems('FORWARD', removed, history)).toEqual([]);
    expect(compatibilityProblems('FORWARD_TRANSITIVE', removed, history)).toEqual([
      `version 1 schema reading new data: field "amount" is required by the reader but missing from the writer's data`,
    ]);
  });

  it('accepts anything under NONE and as a first version', () => {
    expect(compatibilityProblems('NONE', removed, [{ version: 1, schema: v1 }])).toEqual([]);
    expect(compatibilityProblems('FULL_TRANSITIVE', removed, [])).toEqual([]);
  });
});

describe('readerIssues for JSON Schema', () => {
  it('names nested fields with dots', () => {
    const writer = closed({ customer: object({ id: { type: 'number' } }, ['id']) }, ['customer']);
    const reader = closed({ customer: object({ id: { type: 'string' } }, ['id']) }, ['customer']);
    expect(readerIssues(reader, writer)).toEqual([
      'field "customer.id" changed type from number to string',
    ]);
  });

  it('lets a number reader read integers, but not the other way round', () => {
    const integer = closed({ n: { type: 'integer' } });
    const number = closed({ n: { type: 'number' } });
    expect(readerIssues(number, integer)).toEqual([]);
    expect(readerIssues(integer, number)).toEqual([
      'field "n" changed type from number to integer',
    ]);
  });

  it('sees an enum losing a value', () => {
    const writer = closed({ state: { type: 'string', enum: ['NEW', 'PAID', 'SHIPPED'] } });
    const reader = closed({ state: { type: 'string', enum: ['NEW', 'PAID'] } });
    expect(readerIssues(reader, writer)).toEqual(['field "state" no longer allows "SHIPPED"']);
    expect(readerIssues(writer, reader)).toEqual([]);
  });

  it('compares array items', () => {
    const writer = closed({ lines: { type: 'array', items: { type: 'string' } } });
    const reader = closed({ lines: { type: 'array', items: { type: 'number' } } });
    expect(readerIssues(reader, writer)).toEqual([
      'field "lines[]" changed type from string to number',
    ]);
  });

  it('sees a field that became required', () => {
    expect(readerIssues(closed({ a: {} }, ['a']), closed({ a: {} }))).toEqual([
      `field "a" is required by the reader but optional in the writer's data`,
    ]);
  });

  it('refuses switching between JSON Schema and Avro', () => {
    expect(readerIssues(avro([{ name: 'id', type: 'string' }]), closed({}))).toEqual([
      'the schema type changed from JSON to AVRO',
    ]);
  });
});

describe('readerIssues for Avro', () => {
  it('allows type promotions (int to long, float to double, string to bytes)', () => {
    const writer = avro([
      { name: 'a', type: 'int' },
      { name: 'b', type: 'float' },
      { name: 'c', type: 'string' },
    ]);
    const reader = avro([
      { name: 'a', type: 'long' },
      { name: 'b', type: 'double' },
      { name: 'c', type: 'bytes' },
    ]);
    expect(readerIssues(reader, writer)).toEqual([]);
    expect(readerIssues(writer, reader)).toEqual([
      'field "a" changed type from long to int',
      'field "b" changed type from double to float',
    ]);
  });

  it('names fields of nested records', () => {
    const customer = (fields: AvroField[]): AvroField => ({
      name: 'customer',
      type: { type: 'record', name: 'Customer', fields },
    });
    const writer = avro([customer([{ name: 'id', type: 'long' }])]);
    const reader = avro([
      customer([
        { name: 'id', type: 'long' },
        { name: 'tier', type: 'string' },
      ]),
    ]);
    expect(readerIssues(reader, writer)).toEqual([
      `field "customer.tier" is required by the reader (it has no default) but missing from the writer's data`,
    ]);
  });

  it('matches renamed fields by alias', () => {
    const writer = avro([{ name: 'total', type: 'double' }]);
    const reader = avro([{ name: 'amount', type: 'double', aliases: ['total'] }]);
    expect(readerIssues(reader, writer)).toEqual([]);
  });

  it('sees a renamed record through avsc', () => {
    const writer: TopicSchema = {
      type: 'AVRO',
      schema: { type: 'record', name: 'Invoice', fields: [] },
    };
    expect(readerIssues(avro([]), writer)).toEqual([
      'the record cannot be read: no alias found for Invoice',
    ]);
  });
});
