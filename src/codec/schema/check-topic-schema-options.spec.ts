import { InvalidTopicDefinitionError } from '../../errors/invalid-topic-definition-error';
import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import type { TopicOptions } from '../define-topic';
import { defineTopic } from '../define-topic';

interface Order {
  id: string;
}

const AvroOrder: AvroRecordSchema = {
  type: 'record',
  name: 'Order',
  fields: [{ name: 'id', type: 'string' }],
};

function options(
  overrides: Partial<TopicOptions<Order, string>> = {},
): TopicOptions<Order, string> {
  return { name: 'orders', entity: 'Order', key: (o) => o.id, ...overrides };
}

function problem(overrides: Partial<TopicOptions<Order, string>>): string {
  try {
    defineTopic(options(overrides));
  } catch (error) {
    if (error instanceof InvalidTopicDefinitionError) return error.message;
    throw error;
  }
  throw new Error('expected defineTopic to throw');
}

describe('defineTopic schema options', () => {
  it('defaults to BACKWARD compatibility, no avro schema and no upcasters', () => {
    expect(defineTopic(options())).toMatchObject({
      compatibility: 'BACKWARD',
      avro: undefined,
      upcast: {},
    });
  });

  it('keeps an Avro schema, a compatibility level and a chain of upcasters', () => {
    const upcast = { 2: (v: unknown) => v, 3: (v: unknown) => v };
    const topic = defineTopic(
      options({ avro: AvroOrder, compatibility: 'FULL_TRANSITIVE', version: 4, upcast }),
    );
    expect(topic.avro).toBe(AvroOrder);
    expect(topic.compatibility).toBe('FULL_TRANSITIVE');
    expect(Object.keys(topic.upcast)).toEqual(['2', '3']);
    expect(Object.isFrozen(topic.upcast)).toBe(true);
  });

  it('refuses a JSON Schema and an Avro schema together', () => {
    expect(problem({ schema: { type: 'object' }, avro: AvroOrder })).toBe(
      'defineTopic("orders"): give either schema (JSON Schema) or avro, not both',
    );
  });

  it('refuses a JSON Schema that does not compile', () => {
    expect(problem({ schema: { type: 'objekt' } })).toMatch(
      /^defineTopic\("orders"\): schema is not a valid JSON Schema \(draft-07 or 2020-12\): /,
    );
  });

  it('refuses an Avro schema that is not a record', () => {
    expect(problem({ avro: { type: 'string' } as unknown as AvroRecordSchema })).toBe(
      `defineTopic("orders"): avro must be an Avro record schema: { type: 'record', name: 'Order', fields: [...] }`,
    );
  });

  it('refuses an Avro schema avsc cannot parse, with its reason', () => {
    const avro: AvroRecordSchema = {
      type: 'record',
      name: 'Order',
      fields: [{ name: 'id', type: 'strin' }],
    };
    expect(problem({ avro })).toBe(
      'defineTopic("orders"): avro is not a valid Avro schema: undefined type name: strin',
    );
  });

  it('refuses an unknown compatibility level', () => {
    expect(problem({ compatibility: 'SIDEWAYS' as 'FULL' })).toBe(
      'defineTopic("orders"): compatibility must be one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE',
    );
  });

  describe('upcast', () => {
    const step = (v: unknown): unknown => v;

    it('needs a version above 1', () => {
      expect(problem({ upcast: { 1: step } })).toBe(
        'defineTopic("orders"): upcast needs version >= 2: upcast[n] turns version n into n + 1, and this topic is at version 1',
      );
    });

    it.each([
      ['0', { 0: step }],
      ['the current version', { 3: step }],
      ['a fraction', { 1.5: step, 2: step }],
      ['a name', { v1: step, 2: step }],
    ])('refuses %s as a key', (_label, upcast) => {
      expect(problem({ version: 3, upcast })).toMatch(
        /^defineTopic\("orders"\): upcast keys must be integers from 1 to 2 \(upcast\[n\] turns version n into n \+ 1\), got "/,
      );
    });

    it('refuses a gap in the chain', () => {
      expect(problem({ version: 4, upcast: { 1: step, 3: step } })).toBe(
        'defineTopic("orders"): upcast must be a chain without gaps ending at version 4: upcast[2] is missing',
      );
    });

    it('refuses a chain that does not reach the current version', () => {
      expect(problem({ version: 4, upcast: { 1: step, 2: step } })).toBe(
        'defineTopic("orders"): upcast must be a chain without gaps ending at version 4: upcast[3] is missing',
      );
    });

    it('refuses a step that is not a function', () => {
      expect(problem({ version: 2, upcast: { 1: 'v2' as unknown as typeof step } })).toBe(
        'defineTopic("orders"): upcast[1] must be a function from a version 1 value to a version 2 value',
      );
    });

    it('accepts a chain that starts later than version 1 (older records have no path)', () => {
      expect(
        Object.keys(defineTopic(options({ version: 5, upcast: { 3: step, 4: step } })).upcast),
      ).toEqual(['3', '4']);
    });
  });
});
