import { AppStateError } from './app-state-error';
import { BadRequestError } from './bad-request-error';
import { ChangelogRestoreError } from './changelog-restore-error';
import { ConfigurationError } from './configuration-error';
import { DecoratorMisuseError } from './decorator-misuse-error';
import { DeserializationError } from './deserialization-error';
import { DuplicateTopicOwnerError } from './duplicate-topic-owner-error';
import type { ErrorCode } from './error-codes';
import { ErrorCodes } from './error-codes';
import { ForeignProducerError } from './foreign-producer-error';
import { GroupActiveError } from './group-active-error';
import { HolderUnavailableError } from './holder-unavailable-error';
import { HolderWaitTimeoutError } from './holder-wait-timeout-error';
import { InvalidEventTimeError } from './invalid-event-time-error';
import { InvalidTopicDefinitionError } from './invalid-topic-definition-error';
import { InvalidWindowError } from './invalid-window-error';
import { KafkaAuthenticationError } from './kafka-authentication-error';
import { KafkaAuthorizationError } from './kafka-authorization-error';
import { KeyMismatchError } from './key-mismatch-error';
import { KeyTooLargeError } from './key-too-large-error';
import { LateRecordError } from './late-record-error';
import { MissingPeerDependencyError } from './missing-peer-dependency-error';
import { MissingServiceDecoratorError } from './missing-service-decorator-error';
import { MissingTopicError } from './missing-topic-error';
import { NotAKafkaBrokerError } from './not-a-kafka-broker-error';
import { NotFoundError } from './not-found-error';
import { QueryAbortedError } from './query-aborted-error';
import { QueryFailedError } from './query-failed-error';
import { QueryTimeoutError } from './query-timeout-error';
import { RecordTooLargeError } from './record-too-large-error';
import { ReplicaFencedError } from './replica-fenced-error';
import { ReplicaRebuildError } from './replica-rebuild-error';
import { ReplicaTableMismatchError } from './replica-table-mismatch-error';
import { RestoreAbandonedError } from './restore-abandoned-error';
import { RoutingNotReadyError } from './routing-not-ready-error';
import { SchemaIncompatibleError } from './schema-incompatible-error';
import { SchemaRegistryError } from './schema-registry-error';
import { SchemaValidationError } from './schema-validation-error';
import { SerializationError } from './serialization-error';
import { ServiceNotStartedError } from './service-not-started-error';
import { ShutdownInterruptedError } from './shutdown-interrupted-error';
import { SingleWriterViolationError } from './single-writer-violation-error';
import { StateStoreWriteError } from './state-store-write-error';
import { StopTimeoutError } from './stop-timeout-error';
import type { StreamwiseErrorClass } from './streamwise-error';
import { StreamwiseError } from './streamwise-error';
import { TableStoreCommitError } from './table-store-commit-error';
import { TableWaitTimeoutError } from './table-wait-timeout-error';
import { TopicMismatchError } from './topic-mismatch-error';
import { TopicOwnerMismatchError } from './topic-owner-mismatch-error';
import { TransportClosedError } from './transport-closed-error';
import { TransportError } from './transport-error';
import { UnknownTopicError } from './unknown-topic-error';
import { UnsignedRecordError } from './unsigned-record-error';
import { UpcastError } from './upcast-error';

type ErrorClass = StreamwiseErrorClass<StreamwiseError> & { is(value: unknown): boolean };

interface Case {
  readonly error: StreamwiseError;
  readonly type: ErrorClass;
  readonly code: ErrorCode;
  readonly retriable: boolean;
  /** Text the message must contain. */
  readonly mentions: readonly string[];
}

const cases: Case[] = [
  {
    error: new MissingPeerDependencyError('metrics.prometheus', ['@opentelemetry/sdk-metrics']),
    type: MissingPeerDependencyError,
    code: ErrorCodes.MISSING_PEER_DEPENDENCY,
    retriable: false,
    mentions: ['metrics.prometheus', 'npm install @opentelemetry/sdk-metrics'],
  },
  {
    error: new AppStateError('the app is already started'),
    type: AppStateError,
    code: ErrorCodes.APP_STATE,
    retriable: false,
    mentions: ['the app is already started'],
  },
  {
    error: new ConfigurationError('brokers must not be empty'),
    type: ConfigurationError,
    code: ErrorCodes.CONFIGURATION,
    retriable: false,
    mentions: ['brokers must not be empty'],
  },
  {
    error: new DecoratorMisuseError('Query', 'Shop', 'find', 'bad route.'),
    type: DecoratorMisuseError,
    code: ErrorCodes.DECORATOR_MISUSE,
    retriable: false,
    mentions: ['@Query on Shop.find: bad route.'],
  },
  {
    error: new DeserializationError('orders', 'value', 'unexpected token'),
    type: DeserializationError,
    code: ErrorCodes.DESERIALIZATION,
    retriable: false,
    mentions: ['value', '"orders"', 'unexpected token', '"orders.dlq"'],
  },
  {
    error: new DuplicateTopicOwnerError('orders', ['a-service', 'b-service']),
    type: DuplicateTopicOwnerError,
    code: ErrorCodes.DUPLICATE_TOPIC_OWNER,
    retriable: false,
    mentions: ['"orders"', '"a-service" and "b-service"'],
  },
  {
    error: new ForeignProducerError('orders', 'rogue-service', 'orders-service'),
    type: ForeignProducerError,
    code: ErrorCodes.FOREIGN_PRODUCER,
    retriable: false,
    mentions: ['"orders"', '"rogue-service"', '"orders-service"'],
  },
  {
    error: new TopicOwnerMismatchError('orders', 'orders-service', 'rogue-service'),
    type: TopicOwnerMismatchError,
    code: ErrorCodes.TOPIC_OWNER_MISMATCH,
    retriable: false,
    mentions: ['"orders"', 'owner "orders-service"', '"rogue-service" declares @OwnsTopic(orders)'],
  },
  {
    error: new UnsignedRecordError('orders'),
    type: UnsignedRecordError,
    code: ErrorCodes.UNSIGNED_RECORD,
    retriable: false,
    mentions: [
      '"orders"',
      'no producer (no sw-envelope nor sw-producer header)',
      "unsignedRecords: 'accept' or 'warn'",
    ],
  },
  {
    error: new KeyMismatchError('orders', 3, 'it has no key'),
    type: KeyMismatchError,
    code: ErrorCodes.KEY_MISMATCH,
    retriable: false,
    mentions: ['"orders" partition 3: it has no key', 'murmur2'],
  },
  {
    error: new InvalidTopicDefinitionError('orders', 'version must be an integer >= 1'),
    type: InvalidTopicDefinitionError,
    code: ErrorCodes.INVALID_TOPIC_DEFINITION,
    retriable: false,
    mentions: ['defineTopic("orders"): version must be an integer >= 1'],
  },
  {
    error: new MissingServiceDecoratorError('OrdersService'),
    type: MissingServiceDecoratorError,
    code: ErrorCodes.MISSING_SERVICE_DECORATOR,
    retriable: false,
    mentions: ['OrdersService', "@Service('<name>')"],
  },
  {
    error: new SerializationError('orders', 'key', 'boom'),
    type: SerializationError,
    code: ErrorCodes.SERIALIZATION,
    retriable: false,
    mentions: ['Cannot encode the key for "orders": boom. Nothing was sent.'],
  },
  {
    error: new ServiceNotStartedError('OrdersService', 'publish'),
    type: ServiceNotStartedError,
    code: ErrorCodes.SERVICE_NOT_STARTED,
    retriable: false,
    mentions: ['OrdersService cannot publish'],
  },
  {
    error: new RestoreAbandonedError('summer-sums-changelog'),
    type: RestoreAbandonedError,
    code: ErrorCodes.RESTORE_ABANDONED,
    retriable: false,
    mentions: ['"summer-sums-changelog"', 'the service is stopping'],
  },
  {
    error: new StopTimeoutError(250, ['the transport disconnecting']),
    type: StopTimeoutError,
    code: ErrorCodes.STOP_TIMEOUT,
    retriable: false,
    mentions: ['within 250 ms (stopTimeoutMs)', 'the transport disconnecting'],
  },
  {
    error: new ShutdownInterruptedError('orders', 2, 41),
    type: ShutdownInterruptedError,
    code: ErrorCodes.SHUTDOWN_INTERRUPTED,
    retriable: true,
    mentions: ['orders[2]@41'],
  },
  {
    error: new SingleWriterViolationError('orders', 'billing-service', 'orders-service'),
    type: SingleWriterViolationError,
    code: ErrorCodes.SINGLE_WRITER_VIOLATION,
    retriable: false,
    mentions: ['"billing-service"', '"orders"', '"orders-service"'],
  },
  {
    error: new TopicMismatchError('orders', 'has 3 partitions, expected 6'),
    type: TopicMismatchError,
    code: ErrorCodes.TOPIC_MISMATCH,
    retriable: false,
    mentions: ['"orders"', 'has 3 partitions, expected 6'],
  },
  {
    error: new TransportClosedError('publish'),
    type: TransportClosedError,
    code: ErrorCodes.TRANSPORT_CLOSED,
    retriable: false,
    mentions: ['Cannot publish'],
  },
  {
    error: new TransportError('broker unreachable', { retriable: false }),
    type: TransportError,
    code: ErrorCodes.TRANSPORT,
    retriable: false,
    mentions: ['broker unreachable'],
  },
  {
    error: new KafkaAuthorizationError('User:billing lacks WRITE on topic "orders"', {
      kafkaErrorType: 'TOPIC_AUTHORIZATION_FAILED',
      principal: 'User:billing',
      operation: 'WRITE',
      resource: 'topic "orders"',
    }),
    type: KafkaAuthorizationError,
    code: ErrorCodes.KAFKA_AUTHORIZATION,
    retriable: false,
    mentions: ['User:billing', 'WRITE', '"orders"'],
  },
  {
    error: new KafkaAuthenticationError('the broker refused the login of User:billing'),
    type: KafkaAuthenticationError,
    code: ErrorCodes.KAFKA_AUTHENTICATION,
    retriable: false,
    mentions: ['refused the login'],
  },
  {
    error: new UnknownTopicError('orders'),
    type: UnknownTopicError,
    code: ErrorCodes.UNKNOWN_TOPIC,
    retriable: false,
    mentions: ['Topic "orders" does not exist'],
  },
  {
    // On a secured cluster a topic without a DESCRIBE ACL is invisible: it may well exist.
    error: new UnknownTopicError('orders', { principal: 'User:billing' }),
    type: UnknownTopicError,
    code: ErrorCodes.UNKNOWN_TOPIC,
    retriable: false,
    mentions: ['"orders"', 'User:billing', 'DESCRIBE', 'streamwise acls'],
  },
  {
    error: new SchemaValidationError('orders', 2, ['/customer/id must be number'], 'publish'),
    type: SchemaValidationError,
    code: ErrorCodes.SCHEMA_VALIDATION,
    retriable: false,
    mentions: ['"orders"', 'version 2', '/customer/id must be number', 'Nothing was sent'],
  },
  {
    error: new SchemaIncompatibleError('orders-value', 'BACKWARD', ['field "amount" removed']),
    type: SchemaIncompatibleError,
    code: ErrorCodes.SCHEMA_INCOMPATIBLE,
    retriable: false,
    mentions: ['topic "orders"', '"orders-value"', 'BACKWARD', 'field "amount" removed'],
  },
  {
    error: new SchemaRegistryError('registry unreachable', { retriable: true }),
    type: SchemaRegistryError,
    code: ErrorCodes.SCHEMA_REGISTRY,
    retriable: true,
    mentions: ['registry unreachable'],
  },
  {
    error: new UpcastError('orders', 1, 'no upcasters'),
    type: UpcastError,
    code: ErrorCodes.UPCAST_FAILED,
    retriable: false,
    mentions: ['"orders"', 'version 1', 'no upcasters', 'upcast: { 1:'],
  },
  {
    error: new TableWaitTimeoutError('orders-service.orders', 'o-1', 250),
    type: TableWaitTimeoutError,
    code: ErrorCodes.TABLE_WAIT_TIMEOUT,
    retriable: true,
    mentions: ['"o-1"', '"orders-service.orders"', '250 ms'],
  },
  {
    error: new TableStoreCommitError('/state/orders/prices', new Error('MDB_MAP_FULL')),
    type: TableStoreCommitError,
    code: ErrorCodes.TABLE_STORE_COMMIT,
    retriable: true,
    mentions: ['/state/orders/prices', 'MDB_MAP_FULL', 'free space', 'written again'],
  },
  {
    error: new GroupActiveError('billing-service', 2),
    type: GroupActiveError,
    code: ErrorCodes.GROUP_ACTIVE,
    retriable: false,
    mentions: ['"billing-service"', '2 active member(s)', 'stop its service'],
  },
  {
    error: new MissingTopicError([{ topic: 'ordres', owner: 'orders-service' }]),
    type: MissingTopicError,
    code: ErrorCodes.MISSING_TOPIC,
    retriable: false,
    mentions: [
      '"ordres" (owner: orders-service)',
      'typo',
      'streamwise topics apply',
      'createForeignTopics: true',
    ],
  },
  {
    error: new NotFoundError('no order o-1'),
    type: NotFoundError,
    code: ErrorCodes.NOT_FOUND,
    retriable: false,
    mentions: ['no order o-1'],
  },
  {
    error: new BadRequestError('timeout must be a number'),
    type: BadRequestError,
    code: ErrorCodes.BAD_REQUEST,
    retriable: false,
    mentions: ['timeout must be a number'],
  },
  {
    error: new QueryTimeoutError(500),
    type: QueryTimeoutError,
    code: ErrorCodes.QUERY_TIMEOUT,
    retriable: true,
    mentions: ['500'],
  },
  {
    error: new QueryAbortedError('the client disconnected'),
    type: QueryAbortedError,
    code: ErrorCodes.QUERY_ABORTED,
    retriable: true,
    mentions: ['the client disconnected', 'Send it again'],
  },
  {
    error: new QueryFailedError(new Error('secret detail')),
    type: QueryFailedError,
    code: ErrorCodes.QUERY_FAILED,
    retriable: false,
    mentions: ['internal error; see the service log'],
  },
  {
    error: new HolderUnavailableError('orders-service', 'orders', 3, 'no instance owns it yet'),
    type: HolderUnavailableError,
    code: ErrorCodes.HOLDER_UNAVAILABLE,
    retriable: true,
    mentions: ['orders-service', 'no instance owns it yet'],
  },
  {
    error: new HolderWaitTimeoutError('orders-service', 'orders', 3, 250),
    type: HolderWaitTimeoutError,
    code: ErrorCodes.HOLDER_WAIT_TIMEOUT,
    retriable: true,
    mentions: ['orders-service', 'orders[3]', '250 ms', '?timeout'],
  },
  {
    error: new RoutingNotReadyError(['orders-service'], 60_000),
    type: RoutingNotReadyError,
    code: ErrorCodes.ROUTING_NOT_READY,
    retriable: true,
    mentions: ['orders-service', '60000 ms', 'startupTimeoutMs'],
  },
  {
    error: new KeyTooLargeError('orders', 1_200, 1_000),
    type: KeyTooLargeError,
    code: ErrorCodes.KEY_TOO_LARGE,
    retriable: false,
    mentions: ['orders', '1200 bytes', 'at most 1000 bytes'],
  },
  {
    error: new RecordTooLargeError('produce to "orders"', 'a batch of 2000 bytes'),
    type: RecordTooLargeError,
    code: ErrorCodes.RECORD_TOO_LARGE,
    retriable: false,
    mentions: ['produce to "orders"', 'MESSAGE_TOO_LARGE', 'max.message.bytes'],
  },
  {
    error: new ReplicaTableMismatchError('orders', ['key', 'value'], ['id', 'state']),
    type: ReplicaTableMismatchError,
    code: ErrorCodes.REPLICA_TABLE_MISMATCH,
    retriable: false,
    mentions: ['"orders"', '(key, value)', '(id, state)', 'DROP TABLE orders', 'new table name'],
  },
  {
    error: new ReplicaFencedError('orders', [0, 2]),
    type: ReplicaFencedError,
    code: ErrorCodes.REPLICA_FENCED,
    retriable: true,
    mentions: ['"orders"', 'partition(s) 0, 2', 'another instance'],
  },
  {
    error: new ReplicaRebuildError('orders', 'it has no live version yet: start its service once.'),
    type: ReplicaRebuildError,
    code: ErrorCodes.REPLICA_REBUILD,
    retriable: false,
    mentions: ['Replica "orders"', 'no live version', 'start its service'],
  },
  {
    error: new NotAKafkaBrokerError('127.0.0.1:8080', 'it answered "HTTP/1.1 400 Bad Request"'),
    type: NotAKafkaBrokerError,
    code: ErrorCodes.NOT_A_KAFKA_BROKER,
    retriable: false,
    mentions: ['127.0.0.1:8080', 'HTTP/1.1 400', 'KAFKA_BROKERS', '--brokers'],
  },
  {
    error: new StateStoreWriteError(
      'reserved',
      'only handlers of "inventory-service" may write it.',
    ),
    type: StateStoreWriteError,
    code: ErrorCodes.STATE_STORE_WRITE,
    retriable: false,
    mentions: ['State store "reserved"', 'only handlers of "inventory-service" may write it.'],
  },
  {
    error: new InvalidWindowError('tumbling(0)', 'sizeMs must be positive.'),
    type: InvalidWindowError,
    code: ErrorCodes.INVALID_WINDOW,
    retriable: false,
    mentions: ['tumbling(0): sizeMs must be positive.'],
  },
  {
    error: new InvalidEventTimeError('WindowJoin.addLeft', -1),
    type: InvalidEventTimeError,
    code: ErrorCodes.INVALID_EVENT_TIME,
    retriable: false,
    mentions: ['WindowJoin.addLeft: -1 is not an event time'],
  },
  {
    error: new LateRecordError(1_000, 61_000, 5_000),
    type: LateRecordError,
    code: ErrorCodes.LATE_RECORD,
    retriable: false,
    mentions: ['event time 1000', 'grace period is 5000 ms', 'raise graceMs'],
  },
  {
    error: new ChangelogRestoreError('WindowJoin "emails"', 'entry "x" is not an object.'),
    type: ChangelogRestoreError,
    code: ErrorCodes.CHANGELOG_RESTORE,
    retriable: false,
    mentions: ['Cannot restore WindowJoin "emails" from its changelog'],
  },
];

const byName = (name: string): ErrorClass =>
  cases.find((c) => c.type.name === name)?.type ?? StreamwiseError;

describe('streamwise errors', () => {
  it('covers every error code', () => {
    const covered = new Set(cases.map((c) => c.code));
    const missing = Object.values(ErrorCodes).filter((code) => !covered.has(code));
    expect(missing).toEqual([]);
  });

  it('has unique error codes', () => {
    const codes = Object.values(ErrorCodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^SW_[A-Z_]+$/);
  });

  describe.each(cases.map((c) => [c.type.name, c] as const))('%s', (className, c) => {
    it('is a StreamwiseError and an Error', () => {
      expect(c.error).toBeInstanceOf(c.type);
      expect(c.error).toBeInstanceOf(StreamwiseError);
      expect(c.error).toBeInstanceOf(Error);
    });

    it('has the right code', () => {
      expect(c.error.code).toBe(c.code);
      expect(c.type.code).toBe(c.code);
    });

    it('is recognised by is() of its class and of StreamwiseError, by no other class', () => {
      expect(c.type.is(c.error)).toBe(true);
      expect(StreamwiseError.is(c.error)).toBe(true);
      const others = cases.filter((o) => o.type !== c.type).map((o) => o.type.name);
      expect(others.filter((name) => byName(name).is(c.error))).toEqual([]);
    });

    it('is named after its class', () => {
      expect(c.error.name).toBe(className);
      expect(String(c.error).startsWith(`${className}: `)).toBe(true);
    });

    it(`is ${c.retriable ? '' : 'not '}retriable`, () => {
      expect(c.error.retriable).toBe(c.retriable);
    });

    it('says what went wrong', () => {
      for (const text of c.mentions) expect(c.error.message).toContain(text);
    });
  });

  it('makes TransportError retriable when asked, and keeps its cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new TransportError('broker unreachable', { retriable: true, cause });
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.code).toBe(ErrorCodes.TRANSPORT);
  });

  it('keeps the cause of a SerializationError and a DeserializationError', () => {
    const cause = new TypeError('bad');
    expect(new SerializationError('t', 'value', 'bad', cause).cause).toBe(cause);
    expect(new DeserializationError('t', 'key', 'bad', cause).cause).toBe(cause);
  });

  it('sets no cause when none is given', () => {
    expect('cause' in new SerializationError('t', 'value', 'bad')).toBe(false);
  });

  it('names a subclass after itself, not after StreamwiseError', () => {
    class CustomError extends StreamwiseError {}
    const error = new CustomError(ErrorCodes.CONFIGURATION, 'custom');
    expect(error.name).toBe('CustomError');
    expect(error.retriable).toBe(false);
  });

  it('DecoratorMisuseError without a member names only the class', () => {
    const error = new DecoratorMisuseError(
      'Service',
      'Shop',
      undefined,
      'is applied twice; keep one.',
    );
    expect(error.message).toBe('@Service on Shop: is applied twice; keep one.');
    expect(error.className).toBe('Shop');
    expect(error.member).toBeUndefined();
  });

  it('DecoratorMisuseError with a member names Class.member', () => {
    const error = new DecoratorMisuseError('EventHandler', 'Billing', 'bill', 'oops');
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toBe('@EventHandler on Billing.bill: oops');
  });
});
