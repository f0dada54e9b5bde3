/**
 * 'streamwise': what a service author writes against. Decorators, topics, StreamService,
 * StreamwiseApp, errors (each with a cross-copy `is()`), and the types those signatures use.
 *
 * Public on purpose:
 * - The Transport types (Transport, Subscription, DeliveredRecord, OutgoingRecord, …) are types
 *   only: StreamwiseAppOptions.transport is a Transport, a custom transport implements them, and
 *   tapping a transport (a consumer group of your own, as the quickstart does) hands you
 *   DeliveredRecords. The classes behind them are not here: KafkaTransport is in
 *   'streamwise/kafka' (it loads kafkajs), the in-memory broker in 'streamwise/testing';
 *   `memoryTransport()` is the one-line in-process transport for demos.
 * - partitionForKey: which partition a key lands on (Kafka's default partitioner, used by both
 *   transports), for producers outside streamwise that must co-partition with it.
 * Not here: engines, codecs, registries' clients, the query server and anything else a service
 * reaches only through the app; import nothing from deep paths, they change without notice.
 */
import 'reflect-metadata';

// Decorators
export { Service } from './decorators/service';
export type { ServiceOptions } from './model/service/service-options';
export { EventHandler } from './decorators/event-handler';
export type { EventHandlerOptions } from './model/service/handler-metadata';
export { OwnsTopic } from './decorators/owns-topic';
export { Materialize } from './decorators/materialize';
export type { MaterializeOptions } from './model/service/materialize-metadata';
export { Query } from './decorators/query';
export { State } from './decorators/state';
export { Windowed, WindowedJoin } from './decorators/windowed';
export type { StateStoreOptions } from './model/service/state-store-metadata';
export type { HttpMethod } from './model/service/query-metadata';
export type { RetryOptions } from './model/service/retry-options';
export { describeService } from './decorators/describe-service';
export type { ServiceDescription } from './model/service/service-description';

// Topics, headers and dead letters
export { defineTopic } from './codec/define-topic';
export type { TopicOptions } from './codec/define-topic';
export type { TopicDefinition, JsonSchema, Upcaster } from './model/topics/topic-definition';
export type { TopicKey } from './model/topics/key-serde';
export type { Serde } from './model/topics/serde';
export { jsonSerde } from './model/topics/json-serde';
export {
  HeaderNames,
  DeadLetterHeaderNames,
  deadLetterTopicName,
} from './model/topics/header-names';

// Schemas and the registry (types: an app takes `{ url }` or any SchemaRegistry)
export type { AvroRecordSchema, AvroField, AvroType } from './model/topics/avro-schema';
export type { CompatibilityLevel } from './model/topics/compatibility-level';
export type { SchemaType, TopicSchema } from './codec/schema/topic-schema';
export type {
  SchemaRegistry,
  SchemaDocument,
  RegisteredSchema,
  CompatibilityResult,
} from './codec/registry/schema-registry';
export type { SchemaRegistryOption } from './codec/registry/resolve-schema-registry';

// Services and the app
export { StreamService } from './runtime/stream-service';
export type { ServiceClass } from './runtime/service-class';
export type { EventContext } from './model/service/event-context';
export type { PublishOptions } from './model/service/publish-options';
export type { PublishedEvent } from './model/service/published-event';
export { StreamwiseApp } from './app/streamwise-app';
export type { StreamwiseAppOptions } from './app/app-options';
export type { HttpOptions } from './app/http-options';

// Time and logging
export type { Clock } from './clock/clock';
export { SystemClock } from './clock/system-clock';
export type { Logger, LogFields, LogLevel } from './logging/logger';
export { ConsoleLogger } from './logging/console-logger';
export { SilentLogger } from './logging/silent-logger';

// Transports
export type * from './transport/transport';
export { memoryTransport } from './transport/memory/memory-transport-factory';
export { partitionForKey } from './transport/partitioner';

// State handed to services
export type { ReadOnlyTable } from './state/tables/read-only-table';
export type { StateStore } from './state/stores/state-store';
export type { WindowedStore } from './state/windows/windowed-store';
export type { JoinStore } from './state/windows/join-store';
export type { WindowResult } from './state/windows/window-result';
export type { JoinResult } from './state/windows/join-result';
export type { WindowSpec } from './model/windows/window-spec';
export { tumbling, hopping, session } from './model/windows/window-spec';

// Queries and commands over HTTP
export type { QueryRequest } from './http/query-request';
export { QueryResult, created, accepted, noContent } from './http/query-result';
export type { ReadinessCheck, PartitionLag } from './http/readiness-provider';

// Errors
export { ErrorCodes } from './errors/error-codes';
export type { ErrorCode } from './errors/error-codes';
export { StreamwiseError } from './errors/streamwise-error';
export { ConfigurationError } from './errors/configuration-error';
export { DecoratorMisuseError } from './errors/decorator-misuse-error';
export { MissingServiceDecoratorError } from './errors/missing-service-decorator-error';
export { InvalidTopicDefinitionError } from './errors/invalid-topic-definition-error';
export { UnknownTopicError } from './errors/unknown-topic-error';
export { TopicMismatchError } from './errors/topic-mismatch-error';
export { SingleWriterViolationError } from './errors/single-writer-violation-error';
export { DuplicateTopicOwnerError } from './errors/duplicate-topic-owner-error';
export { ForeignProducerError } from './errors/foreign-producer-error';
export { SerializationError } from './errors/serialization-error';
export { DeserializationError } from './errors/deserialization-error';
export { ServiceNotStartedError } from './errors/service-not-started-error';
export { TransportError } from './errors/transport-error';
export { TransportClosedError } from './errors/transport-closed-error';
export { AppStateError } from './errors/app-state-error';
export { ShutdownInterruptedError } from './errors/shutdown-interrupted-error';
export { TableWaitTimeoutError } from './errors/table-wait-timeout-error';
export { TableStoreMismatchError } from './state/tables/table-store-mismatch-error';
export { TableStoreLockedError } from './state/tables/table-store-locked-error';
export { TableStoreClosedError } from './state/tables/table-store-closed-error';
export { StateStoreWriteError } from './errors/state-store-write-error';
export { InvalidWindowError } from './errors/invalid-window-error';
export { InvalidEventTimeError } from './errors/invalid-event-time-error';
export { LateRecordError } from './errors/late-record-error';
export { ChangelogRestoreError } from './errors/changelog-restore-error';
export { NotFoundError } from './errors/not-found-error';
export { BadRequestError } from './errors/bad-request-error';
export { QueryTimeoutError } from './errors/query-timeout-error';
export { QueryAbortedError } from './errors/query-aborted-error';
export { QueryFailedError } from './errors/query-failed-error';
export { OwnerUnavailableError } from './errors/owner-unavailable-error';
export { SchemaValidationError } from './errors/schema-validation-error';
export { SchemaIncompatibleError } from './errors/schema-incompatible-error';
export { SchemaRegistryError } from './errors/schema-registry-error';
export { UpcastError } from './errors/upcast-error';
