import type { ConnectionOptions } from 'node:tls';

import {
  closedObject,
  nonBlankString,
  type OptionSchema,
  type OptionsSpec,
} from '../../options/option-schema';

/** Shared with the app's `schemaRegistry: { url }`, which builds the client from it. */
export const REGISTRY_URL: OptionSchema = {
  type: 'string',
  format: 'http-url',
  expect: 'an http(s) URL such as "http://localhost:8081"',
};

/** The connection options besides the URL, shared with the app's `schemaRegistry` option. */
export const REGISTRY_CONNECTION: Readonly<Record<string, OptionSchema>> = {
  url: REGISTRY_URL,
  // `secret`: a message never shows the password, a key or a passphrase given here.
  auth: closedObject(
    {
      username: nonBlankString(),
      password: nonBlankString(
        'a non-empty string',
        'Read it from a secret store or the environment, not from code.',
      ),
    },
    { required: ['username', 'password'], secret: true },
  ),
  tls: {
    type: 'object',
    secret: true,
    expect: "an object of Node's TLS options (ca, cert, key, servername, rejectUnauthorized, ...)",
  },
};

export const REGISTRY_CLIENT_OPTIONS: OptionsSpec<ConfluentSchemaRegistryOptions> = {
  owner: 'schemaRegistry',
  schema: closedObject(REGISTRY_CONNECTION, {
    required: ['url'],
    expect: 'an object such as { url: "http://localhost:8081" }',
  }),
};

export interface ConfluentSchemaRegistryOptions {
  /**
   * Base URL of the Confluent REST API: `http://localhost:8081` for Confluent or Karapace,
   * `http://localhost:8081/apis/ccompat/v7` for Apicurio's compatibility API.
   */
  readonly url: string;
  /** HTTP basic auth (Confluent Cloud: an API key and secret); never shown in a message. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** TLS options for an https URL: a private CA (`ca`), a client certificate (`cert`, `key`). */
  readonly tls?: ConnectionOptions;
}
