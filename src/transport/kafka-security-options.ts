import type { ConnectionOptions } from 'node:tls';

import { nonBlankString, type OptionSchema } from '../options/option-schema';

/** A username and password login; SCRAM keeps the password off the wire, PLAIN needs TLS to. */
export interface KafkaPasswordLogin {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** An OAUTHBEARER login: the provider is asked for a fresh token on every (re)authentication. */
export interface KafkaOauthBearerLogin {
  readonly mechanism: 'oauthbearer';
  readonly oauthBearerProvider: () => Promise<{ readonly value: string }>;
}

export type KafkaSaslOptions = KafkaPasswordLogin | KafkaOauthBearerLogin;

/** `true` for TLS with the system's CAs, or Node's TLS options (ca, cert, key, servername, …). */
export type KafkaSslOptions = true | ConnectionOptions;

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;

const SASL_EXAMPLE = '{ mechanism: "scram-sha-512", username, password }';

/**
 * `secret` hides the value given from every message, so a password, a key or a token that is
 * misplaced or of the wrong type never reaches a log through a ConfigurationError.
 */
export const SASL_OPTION: OptionSchema = {
  type: 'object',
  secret: true,
  expect: `a SASL login such as ${SASL_EXAMPLE} or { mechanism: "oauthbearer", oauthBearerProvider }`,
  required: ['mechanism'],
  properties: {
    mechanism: {
      enum: SASL_MECHANISMS,
      secret: false,
      expect: `one of ${SASL_MECHANISMS.join(', ')}`,
    },
  },
  if: { type: 'object', properties: { mechanism: { const: 'oauthbearer' } } },
  then: {
    type: 'object',
    required: ['oauthBearerProvider'],
    properties: {
      mechanism: {},
      oauthBearerProvider: {
        callable: true,
        expect: 'a function returning a promise of { value: token }',
      },
    },
    additionalProperties: false,
  },
  else: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      mechanism: {},
      username: nonBlankString(),
      password: nonBlankString(
        'a non-empty string',
        'Read it from a secret store or the environment, not from code.',
      ),
    },
    additionalProperties: false,
  },
};

export const SSL_OPTION: OptionSchema = {
  secret: true,
  expect: 'true or an object of TLS connection options (ca, cert, key, servername, ...)',
  if: { type: 'object' },
  else: { const: true },
};
