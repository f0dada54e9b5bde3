import { closedObject, type OptionSchema, type OptionsSpec } from '../../options/option-schema';
import type { ConfluentSchemaRegistryOptions } from './confluent-schema-registry-client';

/** Shared with the app's `schemaRegistry: { url }`, which builds the client from it. */
export const REGISTRY_URL: OptionSchema = {
  type: 'string',
  format: 'http-url',
  expect: 'an http(s) URL such as "http://localhost:8081"',
};

export const REGISTRY_CLIENT_OPTIONS: OptionsSpec<ConfluentSchemaRegistryOptions> = {
  owner: 'schemaRegistry',
  schema: closedObject(
    { url: REGISTRY_URL },
    { required: ['url'], expect: 'an object such as { url: "http://localhost:8081" }' },
  ),
};
