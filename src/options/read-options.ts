import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';

import { ConfigurationError } from '../errors/configuration-error';
import { describeValue } from './describe-value';
import type { OptionSchema, OptionsSpec } from './option-schema';

/**
 * Validates options against their spec and returns them with the defaults filled in; the
 * caller's object is never changed. Throws one ConfigurationError listing every problem, each
 * naming the option's path, the value given and what to give instead, e.g.
 * `KafkaTransport: consumer.sessionTimeoutMs must be a positive whole number, got 0.`
 * Rules across options run once each option is valid on its own.
 */
export function readOptions<T>(spec: OptionsSpec<T>, input: unknown): T {
  const validate = compile(spec.schema);
  if (!validate(input)) {
    fail(spec.owner, problemsOf(validate.errors ?? [], spec.schema));
  }
  const options = withDefaults(spec.schema, input);
  const broken = (spec.rules ?? [])
    .map((rule) => rule(options as T))
    .filter((problem): problem is string => problem !== undefined);
  if (broken.length > 0) fail(spec.owner, broken);
  return options as T;
}

// Strict, so a typo in a schema fails at once; `if: { required: [...] }` names properties it does not define.
const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
});
ajv.addVocabulary(['expect', 'fix', 'secret']);
ajv.addFormat('host-port', { type: 'string', validate: isHostPort });
ajv.addFormat('http-url', { type: 'string', validate: (url) => /^https?:\/\/[^/\s]/.test(url) });
ajv.addKeyword({
  keyword: 'callable',
  schemaType: 'boolean',
  validate: (_: boolean, data: unknown) => typeof data === 'function',
});
ajv.addKeyword({
  keyword: 'methods',
  schemaType: 'array',
  validate: (methods: readonly string[], data: unknown) =>
    missingMethods(data, methods).length === 0,
});

const compiled = new WeakMap<OptionSchema, ValidateFunction>();

function compile(schema: OptionSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema as AnySchema);
    compiled.set(schema, validate);
  }
  return validate;
}

function fail(owner: string, problems: readonly string[]): never {
  throw new ConfigurationError(`${owner}: ${problems.join(' ')}`);
}

function problemsOf(errors: readonly ErrorObject[], root: OptionSchema): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const unknown = new Map<string, string[]>();
  for (const error of errors) {
    // An if/then/else failure is also reported by the branch that failed, more precisely.
    if (error.keyword === 'if') continue;
    if (error.keyword === 'additionalProperties') {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      unknown.set(error.schemaPath, [...(unknown.get(error.schemaPath) ?? []), name]);
      continue;
    }
    const missing =
      error.keyword === 'required'
        ? (error.params as { missingProperty: string }).missingProperty
        : undefined;
    const pointer = missing === undefined ? error.instancePath : `${error.instancePath}/${missing}`;
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    const node = describedNode(root, error.schemaPath, missing);
    const value: unknown = missing === undefined ? error.data : undefined;
    let given = isSecret(root, error.schemaPath) ? hidden(value) : describeValue(value);
    if (error.keyword === 'methods' && typeof value === 'object' && value !== null) {
      given += ` without ${missingMethods(value, error.schema as string[]).join(', ')}`;
    }
    const expect = node?.expect ?? error.message ?? 'valid';
    const fix = node?.fix === undefined ? '' : ` ${node.fix}`;
    problems.push(`${pathOf(pointer)} must be ${expect}, got ${given}.${fix}`);
  }
  for (const [schemaPath, names] of unknown) {
    const parent = nodeAt(root, segmentsOf(schemaPath).slice(0, -1));
    const where = parent === root ? 'option' : `${pathOfSchema(schemaPath)} field`;
    const valid = Object.keys(parent?.properties ?? {}).join(', ');
    problems.push(
      `unknown ${where}${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}; the valid ones are ${valid}.`,
    );
  }
  return problems;
}

/** The schema node nearest to the error that says what a valid value is. */
function describedNode(
  root: OptionSchema,
  schemaPath: string,
  missing: string | undefined,
): OptionSchema | undefined {
  const segments = segmentsOf(schemaPath);
  if (missing !== undefined) return nodeAt(root, [...segments.slice(0, -1), 'properties', missing]);
  let node: unknown = root;
  let described: OptionSchema | undefined = root.expect === undefined ? undefined : root;
  for (const segment of segments) {
    node = isRecord(node) ? node[segment] : undefined;
    if (isRecord(node) && !Array.isArray(node) && typeof node.expect === 'string') {
      described = node;
    }
  }
  return described;
}

/** Whether the nearest node on the path that says so marks its value secret. */
function isSecret(root: OptionSchema, schemaPath: string): boolean {
  let node: unknown = root;
  let secret = root.secret === true;
  for (const segment of segmentsOf(schemaPath)) {
    node = isRecord(node) ? node[segment] : undefined;
    if (isRecord(node) && typeof node.secret === 'boolean') secret = node.secret;
  }
  return secret;
}

/** A secret's type without its value: `a string (not shown)`. */
function hidden(value: unknown): string {
  if (typeof value === 'object' || typeof value === 'function' || value === undefined) {
    return describeValue(value);
  }
  return `a ${typeof value} (not shown)`;
}

function nodeAt(root: OptionSchema, segments: readonly string[]): OptionSchema | undefined {
  let node: unknown = root;
  for (const segment of segments) node = isRecord(node) ? node[segment] : undefined;
  return isRecord(node) ? node : undefined;
}

function segmentsOf(schemaPath: string): string[] {
  return schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/consumer/sessionTimeoutMs` -> `consumer.sessionTimeoutMs`, `/brokers/0` -> `brokers[0]`. */
function pathOf(pointer: string): string {
  const path = segmentsOf(pointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
  return path === '' ? 'options' : path;
}

/** The option path of an object schema, from the schema path of its additionalProperties. */
function pathOfSchema(schemaPath: string): string {
  const names = segmentsOf(schemaPath).filter(
    (s, i, all) => all[i - 1] === 'properties' && s !== 'properties',
  );
  return names.join('.');
}

function missingMethods(value: unknown, methods: readonly string[]): string[] {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return [...methods];
  }
  const record = value as Record<string, unknown>;
  return methods.filter((name) => typeof record[name] !== 'function');
}

function isHostPort(address: string): boolean {
  const match = /^(.+):(\d+)$/.exec(address.trim());
  if (match === null || match[1].trim() === '') return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The options with the defaults of their schema filled in. Only option objects (schema nodes with
 * `properties`) are copied, shallowly; every other value, a logger or a registry even when
 * written as an object literal, is passed on as given, so its identity and state stay the caller's.
 */
function withDefaults(schema: OptionSchema, value: unknown): unknown {
  if (schema.properties === undefined || !isRecord(value) || Array.isArray(value)) return value;
  const result: Record<string, unknown> = { ...value };
  for (const [name, node] of Object.entries(schema.properties)) {
    if (result[name] === undefined && node.default !== undefined) {
      result[name] = structuredClone(node.default);
    }
    if (result[name] !== undefined) result[name] = withDefaults(node, result[name]);
  }
  return result;
}
