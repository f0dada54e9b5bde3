import { REGISTRY_CONNECTION } from '../codec/registry/registry-options-spec';
import { HTTP_HOST, HTTP_PORT } from '../http/query-server-options-spec';
import { ENVELOPE_HEADERS } from '../model/topics/envelope-header';
import { UNSIGNED_RECORDS_POLICIES } from '../model/topics/unsigned-records';
import {
  CLOCK_OPTION,
  closedObject,
  implementing,
  LOGGER_OPTION,
  nonBlankString,
  type OptionSchema,
  type OptionsSpec,
  positiveInt,
} from '../options/option-schema';
import type { StreamwiseAppOptions } from './app-options';

/** What `transport` must offer; the fix names both transports a user can pick from. */
const TRANSPORT: OptionSchema = {
  ...implementing('a Transport', ['connect', 'disconnect', 'createTopics', 'subscribe', 'produce']),
  fix: "Pick where records live: transport: memoryTransport() (in-process, for tests and demos) or new KafkaTransport({ brokers: ['127.0.0.1:9092'] }) from 'streamwise/kafka'.",
};

/** Shared by the app's retry defaults; the decorators check theirs to name class and member. */
export const RETRY_OPTIONS_SCHEMA: OptionSchema = closedObject({
  attempts: { type: 'integer', minimum: 1, expect: 'a whole number >= 1 (1 means no retry)' },
  initialDelayMs: { type: 'number', minimum: 0, expect: 'a number of milliseconds >= 0' },
  maxDelayMs: { type: 'number', minimum: 0, expect: 'a number of milliseconds >= 0' },
  multiplier: { type: 'number', minimum: 1, expect: 'a number >= 1' },
});

const HTTP: OptionSchema = {
  expect: 'false (no server) or an object with host, port, advertisedUrl',
  if: { type: 'object' },
  then: closedObject({
    host: HTTP_HOST,
    port: HTTP_PORT,
    advertisedUrl: {
      type: 'string',
      format: 'http-url',
      expect: 'an http(s) URL other instances reach this one at, e.g. "http://10.0.0.5:8080"',
    },
  }),
  else: { const: false },
};

const SCHEMA_REGISTRY: OptionSchema = {
  expect:
    '{ url: "http://host:8081" } or a SchemaRegistry such as new InMemorySchemaRegistry() from \'streamwise/testing\'',
  if: { type: 'object', required: ['url'] },
  then: closedObject(REGISTRY_CONNECTION),
  else: {
    methods: ['register', 'getSchema', 'latestVersion', 'checkCompatibility', 'setCompatibility'],
  },
};

export const APP_OPTIONS: OptionsSpec<StreamwiseAppOptions> = {
  owner: 'StreamwiseApp',
  schema: closedObject(
    {
      services: {
        type: 'array',
        minItems: 1,
        expect: 'a non-empty array of @Service classes, e.g. services: [OrdersService]',
        items: {
          callable: true,
          expect: 'a @Service class',
          fix: 'An undefined entry usually means a circular import between service files.',
        },
      },
      transport: TRANSPORT,
      container: implementing('an inversify Container', ['get', 'bind', 'isBound']),
      clock: CLOCK_OPTION,
      logger: LOGGER_OPTION,
      retry: RETRY_OPTIONS_SCHEMA,
      owners: {
        type: 'object',
        expect:
          'an object naming the owning service of each topic, e.g. { orders: "orders-service" }',
        additionalProperties: nonBlankString('the name of the service that owns the topic'),
      },
      unsignedRecords: {
        enum: [...UNSIGNED_RECORDS_POLICIES],
        expect: "'accept', 'warn' or 'dead-letter'",
      },
      envelopeHeaders: { enum: [...ENVELOPE_HEADERS], expect: "'single' or 'separate'" },
      http: HTTP,
      instanceId: nonBlankString(),
      handleSignals: { type: 'boolean', expect: 'true or false' },
      signalStopTimeoutMs: positiveInt(),
      stopTimeoutMs: positiveInt(),
      schemaRegistry: SCHEMA_REGISTRY,
      stateDir: nonBlankString('a folder path'),
      rebuildTables: { type: 'boolean', expect: 'true or false' },
      createForeignTopics: { type: 'boolean', expect: 'true or false' },
      onRestoreProgress: {
        callable: true,
        expect: 'a function called with each RestoreProgress, e.g. (p) => console.log(p)',
      },
      replicaDatabase: {
        ...implementing('a ReplicaDatabase', ['query', 'transaction', 'close']),
        fix: "Pass replicaDatabase: postgresDatabase({ connectionString: 'postgres://…' }) from 'streamwise/postgres'.",
      },
      tracing: closedObject({
        consumerSpans: { enum: ['linked', 'child'], expect: "'linked' or 'child'" },
      }),
      metrics: closedObject({
        prometheus: { type: 'boolean', expect: 'true (serve GET /metrics) or false' },
      }),
    },
    {
      required: ['services', 'transport'],
      expect: 'an object such as { services: [OrdersService], transport: memoryTransport() }',
    },
  ),
  rules: [
    ({ retry }) =>
      retry?.initialDelayMs === undefined ||
      retry.maxDelayMs === undefined ||
      retry.initialDelayMs <= retry.maxDelayMs
        ? undefined
        : `retry.maxDelayMs (${retry.maxDelayMs}) must be >= retry.initialDelayMs (${retry.initialDelayMs}).`,
    ({ metrics, http }) =>
      metrics?.prometheus === true && http === false
        ? "metrics.prometheus serves GET /metrics on the app's HTTP server, which http: false turns off: drop http: false (or give http: { port }), or turn metrics.prometheus off."
        : undefined,
  ],
};
