import 'reflect-metadata';

// Decorators
export { Service } from './decorators/service';
export type { ServiceOptions } from './decorators/service-options';
export { EventHandler } from './decorators/event-handler';
export type { EventHandlerOptions } from './decorators/event-handler';
export { OwnsTopic } from './decorators/owns-topic';
export { Materialize } from './decorators/materialize';
export type { MaterializeOptions } from './decorators/materialize';
export { Query } from './decorators/query';
export { State } from './decorators/state';
export { Windowed, WindowedJoin } from './decorators/windowed';
export type { StateStoreOptions } from './decorators/state';
export type { HttpMethod } from './decorators/query';
export type { RetryOptions } from './decorators/retry-options';
export { describeService } from './decorators/describe-service';
export type { ServiceDescription } from './decorators/service-description';

// Topics and envelopes
export { defineTopic } from './core/topic/define-topic';
export type { TopicOptions } from './core/topic/define-topic';
export type { TopicDefinition, JsonSchema } from './core/topic/topic-definition';
export { isTopicDefinition } from './core/topic/topic-definition';
export type { TopicKey } from './core/topic/key-serde';
export type { Serde } from './core/topic/serde';
export { jsonSerde } from './core/topic/json-serde';
export { Headers, DeadLetterHeaders, deadLetterTopicName } from './core/topic/header-names';

// Schemas and the registry
export type { Upcaster } from './core/topic/topic-definition';
export type { AvroRecordSchema, AvroField, AvroType } from './core/schema/avro-schema';
export { COMPATIBILITY_LEVELS } from './core/schema/compatibility-level';
export type { CompatibilityLevel } from './core/schema/compatibility-level';
export type { SchemaType, TopicSchema } from './core/schema/topic-schema';
export type {
  SchemaRegistry,
  SchemaDocument,
  RegisteredSchema,
  CompatibilityResult,
} from './core/schema/schema-registry';
export type { SchemaRegistryOption } from './core/schema/resolve-schema-registry';
export { InMemorySchemaRegistry } from './core/schema/in-memory-schema-registry';
export { ConfluentSchemaRegistryClient } from './core/schema/confluent-schema-registry-client';
export type { ConfluentSchemaRegistryOptions } from './core/schema/confluent-schema-registry-client';
export { encodeWireFormat, decodeWireFormat, MAGIC_BYTE } from './core/schema/wire-format';
export { TopicValues } from './core/schema/topic-values';

// Services and the app
export { StreamService } from './core/service/stream-service';
export type { EventContext } from './core/service/event-context';
export type { PublishOptions } from './core/publish/publish-options';
export type { PublishedEvent } from './core/publish/published-event';
export { StreamwiseApp } from './core/app/streamwise-app';
export type { StreamwiseAppOptions } from './core/app/app-options';
export type { ServiceClass } from './core/app/service-class';
export { OwnershipRegistry } from './core/ownership/ownership-registry';

// Time and logging
export type { Clock } from './core/clock/clock';
export { SystemClock } from './core/clock/system-clock';
export { ManualClock } from './core/clock/manual-clock';
export type { Logger, LogFields, LogLevel } from './core/logging/logger';
export { ConsoleLogger } from './core/logging/console-logger';
export { SilentLogger } from './core/logging/silent-logger';

// Transports
export type * from './core/transport/transport';
export { MemoryTransport } from './core/transport/memory/memory-transport';
export type { MemoryTransportOptions } from './core/transport/memory/memory-transport';
export { MemoryBroker } from './core/transport/memory/memory-broker';
export { KafkaTransport } from './core/transport/kafka/kafka-transport';
export type {
  KafkaTransportOptions,
  KafkaRetryOptions,
  KafkaConsumerTuning,
  RedeliveryBackoffOptions,
  KafkaClientLogLevel,
} from './core/transport/kafka/kafka-config';

// State: table views
export type { ReadOnlyTable } from './core/state/read-only-table';
export type { StateStore } from './core/state/state-store';
export type { WindowedStore } from './core/state/windowed-store';
export type { JoinStore } from './core/state/join-store';
export type { WindowResult } from './core/stream/window-result';
export type { JoinResult } from './core/stream/join-result';
export type { WindowSpec } from './core/stream/window-spec';
export { changelogTopicName } from './core/state/changelog-topic';
export { DEFAULT_STATE_DIR } from './core/state/table-storage-options';

// Stream processing engines (windows, stream-stream joins)
export { tumbling, hopping, session, closeTimeOf } from './core/stream/window-spec';
export { windowStoreId } from './core/stream/window';
export { WindowedAggregator } from './core/stream/windowed-aggregator';
export { WindowJoin } from './core/stream/window-join';

// Queries, commands and health over HTTP
export type { HttpOptions } from './core/app/http-options';
export type { QueryRequest } from './core/query/query-request';
export { QueryResult, created, accepted, noContent } from './core/query/query-result';
export { QueryServer } from './core/query/query-server';
export type { QueryServerOptions } from './core/query/query-server-options';
export type {
  ReadinessProvider,
  ReadinessCheck,
  PartitionLag,
} from './core/query/readiness-provider';
export type { InstanceDirectory } from './core/query/instance-directory';
export type { ChangeNotifier } from './core/query/change-notifier';
export { waitUntil } from './core/query/wait-until';
export { murmur2, partitionForKey } from './core/transport/partitioner';

// Errors
export { ErrorCodes } from './core/errors/error-codes';
export type { ErrorCode } from './core/errors/error-codes';
export { StreamwiseError } from './core/errors/streamwise-error';
export { ConfigurationError } from './core/errors/configuration-error';
export { DecoratorMisuseError } from './core/errors/decorator-misuse-error';
export { MissingServiceDecoratorError } from './core/errors/missing-service-decorator-error';
export { InvalidTopicDefinitionError } from './core/errors/invalid-topic-definition-error';
export { UnknownTopicError } from './core/errors/unknown-topic-error';
export { TopicMismatchError } from './core/errors/topic-mismatch-error';
export { SingleWriterViolationError } from './core/errors/single-writer-violation-error';
export { DuplicateTopicOwnerError } from './core/errors/duplicate-topic-owner-error';
export { ForeignProducerError } from './core/errors/foreign-producer-error';
export { SerializationError } from './core/errors/serialization-error';
export { DeserializationError } from './core/errors/deserialization-error';
export { ServiceNotStartedError } from './core/errors/service-not-started-error';
export { TransportError } from './core/errors/transport-error';
export { TransportClosedError } from './core/errors/transport-closed-error';
export { AppStateError } from './core/errors/app-state-error';
export { ShutdownInterruptedError } from './core/errors/shutdown-interrupted-error';
export { TableWaitTimeoutError } from './core/errors/table-wait-timeout-error';
export { TableStoreMismatchError } from './core/state/table-store-mismatch-error';
export { TableStoreLockedError } from './core/state/table-store-locked-error';
export { TableStoreClosedError } from './core/state/table-store-closed-error';
export { StateStoreWriteError } from './core/errors/state-store-write-error';
export { InvalidWindowError } from './core/errors/invalid-window-error';
export { InvalidEventTimeError } from './core/errors/invalid-event-time-error';
export { LateRecordError } from './core/errors/late-record-error';
export { ChangelogRestoreError } from './core/errors/changelog-restore-error';
export { NotFoundError } from './core/errors/not-found-error';
export { BadRequestError } from './core/errors/bad-request-error';
export { QueryTimeoutError } from './core/errors/query-timeout-error';
export { QueryAbortedError } from './core/errors/query-aborted-error';
export { QueryFailedError } from './core/errors/query-failed-error';
export { OwnerUnavailableError } from './core/errors/owner-unavailable-error';
export { SchemaValidationError } from './core/errors/schema-validation-error';
export { SchemaIncompatibleError } from './core/errors/schema-incompatible-error';
export { SchemaRegistryError } from './core/errors/schema-registry-error';
export { UpcastError } from './core/errors/upcast-error';

// Testing
export { TestBed } from './testing/test-bed';
export type { TestBedOptions } from './testing/test-bed-options';
export type { TopicRecord } from './testing/topic-record';
export type { RawRecord } from './testing/raw-record';
export { TopicView } from './testing/topic-view';
export { DrainDidNotSettleError } from './core/errors/drain-did-not-settle-error';
