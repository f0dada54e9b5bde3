import { closedObject, type OptionSchema, type OptionsSpec } from '../../options/option-schema';

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

export interface ConfluentSchemaRegistryOptions {
  /**
   * Base URL of the Confluent REST API: `http://localhost:8081` for Confluent or Karapace,
   * `http://localhost:8081/apis/ccompat/v7` for Apicurio's compatibility API.
   */
  readonly url: string;
}
