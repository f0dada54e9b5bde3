import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';

import type { JsonSchema } from '../../model/topics/topic-definition';

// One compiled function per distinct schema: by object for the common case, by content for copies
// (a schema fetched from the registry). Each gets its own Ajv, so two versions sharing an `$id`
// never clash in one instance.
const byObject = new WeakMap<object, ValidateFunction>();
const byContent = new Map<string, ValidateFunction>();

// Formats need ajv-formats, which is not a dependency: `format` is an annotation here.
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;

/** Compiles a JSON Schema once: 2020-12 when its `$schema` says so, draft-07 otherwise. Throws if invalid. */
export function compileJsonSchema(schema: JsonSchema): ValidateFunction {
  const known = byObject.get(schema);
  if (known !== undefined) return known;
  const content = JSON.stringify(schema);
  let validate = byContent.get(content);
  if (validate === undefined) {
    const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
    const ajv = draft.includes('2020-12') ? new Ajv2020(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
    validate = ajv.compile(schema);
    byContent.set(content, validate);
  }
  byObject.set(schema, validate);
  return validate;
}

/** Every failing path of `value`, e.g. `/customer/id must be number`; empty when it is valid. */
export function jsonSchemaProblems(schema: JsonSchema, value: unknown): string[] {
  const validate = compileJsonSchema(schema);
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `${error.instancePath}/${params.missingProperty} is required`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${error.instancePath}/${params.additionalProperty} is not allowed`;
  }
  return `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'}`;
}
