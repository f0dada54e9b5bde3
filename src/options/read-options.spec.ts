import { ConfigurationError } from '../errors/configuration-error';
import { describeValue } from './describe-value';
import { closedObject, implementing, type OptionsSpec, positiveInt } from './option-schema';
import { readOptions } from './read-options';

interface PumpOptions {
  readonly name: string;
  readonly rate: number;
  readonly limits: { readonly low: number; readonly high: number };
  readonly onDone?: () => void;
  readonly sink?: { write(): void };
}

let ruleRuns = 0;
const PUMP: OptionsSpec<PumpOptions> = {
  owner: 'Pump',
  schema: closedObject(
    {
      name: { type: 'string', expect: 'a name', fix: 'Name it after what it pumps.' },
      rate: positiveInt(10),
      limits: closedObject({ low: positiveInt(1), high: positiveInt(100) }, { default: {} }),
      onDone: { callable: true, expect: 'a function' },
      sink: implementing('a Sink', ['write']),
    },
    { required: ['name'], expect: 'an object such as { name: "water" }' },
  ),
  rules: [
    ({ limits }) => {
      ruleRuns += 1;
      return limits.low <= limits.high
        ? undefined
        : `limits.low (${limits.low}) must not exceed limits.high (${limits.high}).`;
    },
  ],
};

const read = (input: unknown) => readOptions(PUMP, input);

describe('readOptions', () => {
  it('fills defaults, also of nested objects, into a copy', () => {
    const input = { name: 'water', limits: { high: 50 } };
    expect(read(input)).toEqual({ name: 'water', rate: 10, limits: { low: 1, high: 50 } });
    expect(input).toEqual({ name: 'water', limits: { high: 50 } });
  });

  it('keeps functions and class instances by reference', () => {
    const onDone = () => undefined;
    const sink = new (class Sink {
      write(): void {}
    })();
    const options = read({ name: 'water', onDone, sink });
    expect(options.onDone).toBe(onDone);
    expect(options.sink).toBe(sink);
  });

  it.each<[string, unknown, string]>([
    [
      'no object',
      'water',
      'Pump: options must be an object such as { name: "water" }, got "water".',
    ],
    [
      'a missing required option',
      {},
      'Pump: name must be a name, got undefined. Name it after what it pumps.',
    ],
    [
      'a wrong type',
      { name: 'w', rate: 'fast' },
      'Pump: rate must be a positive whole number, got "fast".',
    ],
    [
      'a nested value',
      { name: 'w', limits: { low: 0 } },
      'Pump: limits.low must be a positive whole number, got 0.',
    ],
    [
      'unknown nested fields',
      { name: 'w', limits: { lo: 1, hi: 2 } },
      'Pump: unknown limits fields "lo", "hi"; the valid ones are low, high.',
    ],
    [
      'a value that is not a function',
      { name: 'w', onDone: 'yes' },
      'Pump: onDone must be a function, got "yes".',
    ],
    [
      'an object without a method',
      { name: 'w', sink: {} },
      'Pump: sink must be a Sink (an object with write), got an object without write.',
    ],
    [
      'a rule across options, with defaults',
      { name: 'w', limits: { low: 200 } },
      'Pump: limits.low (200) must not exceed limits.high (100).',
    ],
  ])('reports %s with path, value and fix', (_, input, message) => {
    expect(() => read(input)).toThrow(ConfigurationError);
    expect(() => read(input)).toThrow(message);
  });

  it('runs the rules only on options that are valid one by one', () => {
    ruleRuns = 0;
    expect(() => read({ name: 'w', limits: { low: 'x' } })).toThrow(/limits.low must be/);
    expect(ruleRuns).toBe(0);
  });
});

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['x', '"x"'],
    [0, '0'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[], 'an empty array'],
    [[1], 'an array'],
    [{}, 'an object'],
    [new Map(), 'a Map'],
    [class Foo {}, 'class Foo'],
    [function bar() {}, 'function bar'],
    [() => 1, 'a function'],
  ])('shows %p as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});

describe('readOptions and objects given as options', () => {
  it('passes on an object literal implementing an interface as it is, state and all', () => {
    const lines: string[] = [];
    const sink = { lines, write: () => void lines.push('x') };
    const options = readOptions(PUMP, { name: 'water', sink });
    expect(options.sink).toBe(sink);
  });
});
