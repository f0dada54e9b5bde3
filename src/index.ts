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
export { describeService } from './decorators/describe-service';
export { EventHandler } from './decorators/event-handler';
export { Materialize } from './decorators/materialize';
export { OwnsTopic } from './decorators/owns-topic';
export { project } from './decorators/project';
export { Query } from './decorators/query';
export { Replicate } from './decorators/replicate';
export { Service } from './decorators/service';
export { State } from './decorators/state';
export { Windowed, WindowedJoin } from './decorators/windowed';
export { MAX_KEY_BYTES } from './model/key-limit';
export type { EventHandlerOptions } from './model/service/handler-metadata';
export type { MaterializeOptions } from './model/service/materialize-metadata';
export type { HttpMethod } from './model/service/query-metadata';
export type {
  ProjectedRow,
  ProjectionOptions,
  ProjectionSource,
  Projector,
  ReplicaColumn,
  ReplicaColumnType,
  ReplicaRecordInfo,
  ReplicateOptions,
} from './model/service/replica-metadata';
export type { RetryOptions } from './model/service/retry-options';
export type { ServiceDescription } from './model/service/service-description';
export type { ServiceOptions } from './model/service/service-options';
export type { StateStoreOptions } from './model/service/state-store-metadata';

// Topics, headers and dead letters
export type { TopicOptions } from './codec/define-topic';
export { defineTopic } from './codec/define-topic';
export type { EnvelopeFields, EnvelopeHeaders } from './model/topics/envelope-header';
export { ENVELOPE_HEADER, readEnvelope } from './model/topics/envelope-header';
export {
  DeadLetterHeaderNames,
  deadLetterTopicName,
  HeaderNames,
} from './model/topics/header-names';
export { jsonSerde } from './model/topics/json-serde';
export type { TopicKey } from './model/topics/key-serde';
export type { Serde } from './model/topics/serde';
export type { JsonSchema, TopicDefinition, Upcaster } from './model/topics/topic-definition';

// Schemas and the registry (types: an app takes `{ url }` or any SchemaRegistry)
export type { SchemaRegistryOption } from './codec/registry/resolve-schema-registry';
export type {
  CompatibilityResult,
  RegisteredSchema,
  SchemaDocument,
  SchemaRegistry,
} from './codec/registry/schema-registry';
export type { SchemaType, TopicSchema } from './codec/schema/topic-schema';
export type { AvroField, AvroRecordSchema, AvroType } from './model/topics/avro-schema';
export type { CompatibilityLevel } from './model/topics/compatibility-level';

// Services and the app
export type { StreamwiseAppOptions } from './app/app-options';
export type { HttpOptions } from './app/http-options';
export { StreamwiseApp } from './app/streamwise-app';
export type { EventContext } from './model/service/event-context';
export type { PublishOptions } from './model/service/publish-options';
export type { PublishedEvent } from './model/service/published-event';
export type { ReplicaDatabase, ReplicaQueryResult, ReplicaSql } from './replicas/replica-database';
export type { ReplicaReader, ReplicaRow } from './replicas/replica-reader';
export type { ServiceClass } from './runtime/service-class';
export { StreamService } from './runtime/stream-service';

// Time and logging
export type { Clock } from './clock/clock';
export { SystemClock } from './clock/system-clock';
export { ConsoleLogger } from './logging/console-logger';
export type { LogFields, Logger, LogLevel } from './logging/logger';
export { SilentLogger } from './logging/silent-logger';

// Transports
export { memoryTransport } from './transport/memory/memory-transport-factory';
export { partitionForKey } from './transport/partitioner';
export type * from './transport/transport';

// State handed to services
export type { RejectionReason } from './codec/record-gate';
export type { UnsignedRecordsPolicy } from './model/topics/unsigned-records';
export type { WindowSpec } from './model/windows/window-spec';
export { hopping, session, tumbling } from './model/windows/window-spec';
export type { RestoreProgress, RestoreProgressListener } from './state/restore-progress';
export type { StateStore } from './state/stores/state-store';
export type { ReadOnlyTable } from './state/tables/read-only-table';
export type { JoinResult } from './state/windows/join-result';
export type { JoinStore } from './state/windows/join-store';
export type { WindowResult } from './state/windows/window-result';
export type { WindowedStore } from './state/windows/windowed-store';

// Queries and commands over HTTP
export { locationOf } from './http/location';
export type { QueryRequest } from './http/query-request';
export { accepted, created, noContent, QueryResult } from './http/query-result';
export type { PartitionLag, ReadinessCheck } from './http/readiness-provider';

// Errors
export { AppStateError } from './errors/app-state-error';
export { BadRequestError } from './errors/bad-request-error';
export { ChangelogRestoreError } from './errors/changelog-restore-error';
export { ConfigurationError } from './errors/configuration-error';
export { DecoratorMisuseError } from './errors/decorator-misuse-error';
export { DeserializationError } from './errors/deserialization-error';
export { DuplicateTopicOwnerError } from './errors/duplicate-topic-owner-error';
export type { ErrorCode } from './errors/error-codes';
export { ErrorCodes } from './errors/error-codes';
export { ForeignProducerError } from './errors/foreign-producer-error';
export { HolderUnavailableError } from './errors/holder-unavailable-error';
export { HolderWaitTimeoutError } from './errors/holder-wait-timeout-error';
export { InvalidEventTimeError } from './errors/invalid-event-time-error';
export { InvalidTopicDefinitionError } from './errors/invalid-topic-definition-error';
export { InvalidWindowError } from './errors/invalid-window-error';
export { KafkaAuthenticationError } from './errors/kafka-authentication-error';
export type { KafkaAuthorizationDetails } from './errors/kafka-authorization-error';
export { KafkaAuthorizationError } from './errors/kafka-authorization-error';
export { KeyMismatchError } from './errors/key-mismatch-error';
export { KeyTooLargeError } from './errors/key-too-large-error';
export { LateRecordError } from './errors/late-record-error';
export { MissingPeerDependencyError } from './errors/missing-peer-dependency-error';
export { MissingServiceDecoratorError } from './errors/missing-service-decorator-error';
export type { MissingTopic } from './errors/missing-topic-error';
export { MissingTopicError } from './errors/missing-topic-error';
export { NotAKafkaBrokerError } from './errors/not-a-kafka-broker-error';
export { NotFoundError } from './errors/not-found-error';
export { QueryAbortedError } from './errors/query-aborted-error';
export { QueryFailedError } from './errors/query-failed-error';
export { QueryTimeoutError } from './errors/query-timeout-error';
export { RecordTooLargeError } from './errors/record-too-large-error';
export { ReplicaFencedError } from './errors/replica-fenced-error';
export { ReplicaRebuildError } from './errors/replica-rebuild-error';
export { ReplicaTableMismatchError } from './errors/replica-table-mismatch-error';
export { RestoreAbandonedError } from './errors/restore-abandoned-error';
export { RoutingNotReadyError } from './errors/routing-not-ready-error';
export { SchemaIncompatibleError } from './errors/schema-incompatible-error';
export { SchemaRegistryError } from './errors/schema-registry-error';
export { SchemaValidationError } from './errors/schema-validation-error';
export { SerializationError } from './errors/serialization-error';
export { ServiceNotStartedError } from './errors/service-not-started-error';
export { ShutdownInterruptedError } from './errors/shutdown-interrupted-error';
export { SingleWriterViolationError } from './errors/single-writer-violation-error';
export { StateStoreWriteError } from './errors/state-store-write-error';
export { StopTimeoutError } from './errors/stop-timeout-error';
export { StreamwiseError } from './errors/streamwise-error';
export { TableStoreCommitError } from './errors/table-store-commit-error';
export { TableWaitTimeoutError } from './errors/table-wait-timeout-error';
export { TopicMismatchError } from './errors/topic-mismatch-error';
export { TopicOwnerMismatchError } from './errors/topic-owner-mismatch-error';
export { TransportClosedError } from './errors/transport-closed-error';
export { TransportError } from './errors/transport-error';
export { UnknownTopicError } from './errors/unknown-topic-error';
export { UnsignedRecordError } from './errors/unsigned-record-error';
export { UpcastError } from './errors/upcast-error';
export { TableStoreClosedError } from './state/tables/table-store-closed-error';
export { TableStoreLockedError } from './state/tables/table-store-locked-error';
export { TableStoreMismatchError } from './state/tables/table-store-mismatch-error';
