/**
 * The JSON Schema subset options are described in, plus what messages need: `expect` says what
 * a valid value is ("a positive whole number"), `fix` adds how to get one. Two keywords of ours
 * check values JSON Schema cannot: `callable` (a function or class) and `methods` (an object
 * implementing an interface: a logger, a clock, a registry, a transport).
 */
export interface OptionSchema {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  /** What a valid value is, completing "<path> must be …". */
  readonly expect?: string;
  /** A sentence after the message on how to fix it. */
  readonly fix?: string;
  readonly properties?: Readonly<Record<string, OptionSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | OptionSchema;
  readonly items?: OptionSchema;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  /** `host-port` ("host:port", port 1..65535) or `http-url`. */
  readonly format?: 'host-port' | 'http-url';
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  /** Filled in when the option is not given; the reader never changes the caller's object. */
  readonly default?: unknown;
  readonly if?: OptionSchema;
  readonly then?: OptionSchema;
  readonly else?: OptionSchema;
  readonly callable?: true;
  /**
   * A password, key or token (or an object holding them): a message never shows the value given
   * here or below, only its type. `false` on a node below shows its values again.
   */
  readonly secret?: boolean;
  readonly methods?: readonly string[];
}

/** A rule across options, run on the valid options with their defaults; returns the problem. */
export type OptionRule<T> = (options: T) => string | undefined;

export interface OptionsSpec<T> {
  /** Whose options these are; every message starts with it: "KafkaTransport: …". */
  readonly owner: string;
  readonly schema: OptionSchema;
  readonly rules?: readonly OptionRule<T>[];
}

export function positiveInt(defaultValue?: number): OptionSchema {
  return {
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    expect: 'a positive whole number',
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  };
}

export function nonBlankString(expect = 'a non-empty string', fix?: string): OptionSchema {
  return { type: 'string', pattern: '\\S', expect, ...(fix === undefined ? {} : { fix }) };
}

export function implementing(name: string, methods: readonly string[]): OptionSchema {
  return { methods, expect: `${name} (an object with ${methods.join(', ')})` };
}

/** An object with exactly these properties: a misspelt one is reported, not ignored. */
export function closedObject(
  properties: Readonly<Record<string, OptionSchema>>,
  extra: Omit<OptionSchema, 'type' | 'properties' | 'additionalProperties'> = {},
): OptionSchema {
  return {
    type: 'object',
    expect: `an object with ${Object.keys(properties).join(', ')}`,
    ...extra,
    properties,
    additionalProperties: false,
  };
}

/** Options every component takes the same way. */
export const LOGGER_OPTION = implementing('a Logger', ['debug', 'info', 'warn', 'error', 'child']);
export const CLOCK_OPTION = implementing('a Clock', ['now', 'sleep']);
