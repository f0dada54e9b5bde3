import {
  closedObject,
  implementing,
  LOGGER_OPTION,
  nonBlankString,
  type OptionSchema,
  type OptionsSpec,
  positiveInt,
} from '../options/option-schema';
import type { QueryServerOptions } from './query-server-options';

/** Shared with the app's `http` option, which passes them on. */
export const HTTP_HOST: OptionSchema = nonBlankString('a host name or address such as "0.0.0.0"');
export const HTTP_PORT: OptionSchema = {
  type: 'integer',
  minimum: 0,
  maximum: 65_535,
  expect: 'a whole number from 0 to 65535 (0 picks a free port)',
};

const POSITIVE_MS: OptionSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  expect: 'a positive number of milliseconds',
};

/** QueryServerOptions once read: every option with a default has its value. */
export interface ReadQueryServerOptions extends QueryServerOptions {
  readonly host: string;
  readonly port: number;
  readonly forwardTimeoutMs: number;
  readonly stopGraceMs: number;
  readonly bodyLimit: number;
}

export const QUERY_SERVER_OPTIONS: OptionsSpec<ReadQueryServerOptions> = {
  owner: 'QueryServer',
  schema: closedObject(
    {
      host: { ...HTTP_HOST, default: '127.0.0.1' },
      port: { ...HTTP_PORT, default: 0 },
      logger: LOGGER_OPTION,
      directory: implementing('an InstanceDirectory', ['holderOf', 'onChange']),
      forwardTimeoutMs: { ...POSITIVE_MS, default: 10_000 },
      stopGraceMs: { ...POSITIVE_MS, default: 10_000 },
      bodyLimit: positiveInt(1_048_576),
      meter: implementing('an OpenTelemetry Meter', ['createCounter', 'createHistogram']),
    },
    { required: ['logger'], expect: 'an object such as { logger }' },
  ),
};
