import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The package as a user gets it: built, and required by name through package.json "exports"
 * (self-reference works because the package is called streamwise). The main entry's names are an
 * explicit list, so an internal exported later fails here until someone decides it is public.
 */
const ROOT = resolve(__dirname, '..');
const ENTRIES = [
  'dist/src/index.js',
  'dist/src/testing/index.js',
  'dist/src/kafka.js',
  'dist/src/platformatic-kafka.js',
  'dist/src/postgres.js',
  'dist/src/pglite.js',
];

const MAIN = [
  'AppStateError',
  'BadRequestError',
  'ChangelogRestoreError',
  'ConfigurationError',
  'ConsoleLogger',
  'DeadLetterHeaderNames',
  'DecoratorMisuseError',
  'DeserializationError',
  'DuplicateTopicOwnerError',
  'ENVELOPE_HEADER',
  'ErrorCodes',
  'EventHandler',
  'ForeignProducerError',
  'HeaderNames',
  'InvalidEventTimeError',
  'InvalidTopicDefinitionError',
  'InvalidWindowError',
  'KafkaAuthenticationError',
  'KafkaAuthorizationError',
  'KeyMismatchError',
  'LateRecordError',
  'MAX_KEY_BYTES',
  'Materialize',
  'MissingPeerDependencyError',
  'MissingServiceDecoratorError',
  'NotFoundError',
  'HolderUnavailableError',
  'HolderWaitTimeoutError',
  'KeyTooLargeError',
  'MissingTopicError',
  'NotAKafkaBrokerError',
  'OwnsTopic',
  'Query',
  'QueryAbortedError',
  'QueryFailedError',
  'QueryResult',
  'QueryTimeoutError',
  'RecordTooLargeError',
  'ReplicaFencedError',
  'ReplicaRebuildError',
  'ReplicaTableMismatchError',
  'Replicate',
  'RestoreAbandonedError',
  'RoutingNotReadyError',
  'SchemaIncompatibleError',
  'SchemaRegistryError',
  'SchemaValidationError',
  'SerializationError',
  'Service',
  'ServiceNotStartedError',
  'ShutdownInterruptedError',
  'SilentLogger',
  'SingleWriterViolationError',
  'State',
  'StateStoreWriteError',
  'StopTimeoutError',
  'StreamService',
  'StreamwiseApp',
  'StreamwiseError',
  'SystemClock',
  'TableStoreClosedError',
  'TableStoreCommitError',
  'TableStoreLockedError',
  'TableStoreMismatchError',
  'TableWaitTimeoutError',
  'TopicMismatchError',
  'TopicOwnerMismatchError',
  'TransportClosedError',
  'TransportError',
  'UnknownTopicError',
  'UnsignedRecordError',
  'UpcastError',
  'Windowed',
  'WindowedJoin',
  'accepted',
  'created',
  'deadLetterTopicName',
  'defineTopic',
  'describeService',
  'hopping',
  'jsonSerde',
  'locationOf',
  'memoryTransport',
  'noContent',
  'partitionForKey',
  'project',
  'readEnvelope',
  'session',
  'tumbling',
];

const TESTING = [
  'DrainDidNotSettleError',
  'InMemorySchemaRegistry',
  'ManualClock',
  'MemoryBroker',
  'MemoryTransport',
  'TestBed',
  'TopicView',
  'WindowedAggregator',
  'buildEnvelope',
];

const KAFKA = ['KAFKA_DEFAULTS', 'KafkaTransport'];

const PLATFORMATIC_KAFKA = ['PLATFORMATIC_KAFKA_DEFAULTS', 'PlatformaticKafkaTransport'];
const POSTGRES = ['postgresDatabase'];
const PGLITE = ['pgliteDatabase'];

/** Run in a fresh node, outside jest's module registry: what `require` really resolves. */
const PROBE = `
const cached = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
const main = require('streamwise');
const kafkajsWithMain = cached('kafkajs');
const pgWithMain = cached('pg');
const testing = require('streamwise/testing');
const kafka = require('streamwise/kafka');
const platformaticWithKafka = cached('@platformatic/kafka');
const platformaticKafka = require('streamwise/platformatic-kafka');
const postgres = require('streamwise/postgres');
const pgliteWithPostgres = cached('@electric-sql/pglite');
const pglite = require('streamwise/pglite');
const pgliteLoadedByEntry = cached('@electric-sql/pglite');
let deep;
try { require('streamwise/dist/src/transport/memory/memory-broker'); deep = 'resolved'; }
catch (error) { deep = error.code; }
console.log(JSON.stringify({
  resolved: require.resolve('streamwise'),
  main: Object.keys(main).sort(),
  testing: Object.keys(testing).sort(),
  kafka: Object.keys(kafka).sort(),
  platformaticKafka: Object.keys(platformaticKafka).sort(),
  platformaticWithKafka,
  postgres: Object.keys(postgres).sort(),
  pglite: Object.keys(pglite).sort(),
  pgliteWithPostgres,
  pgliteLoadedByEntry,
  kafkajsWithMain,
  pgWithMain,
  deep,
  version: require('streamwise/package.json').version,
}));
`;

interface Probe {
  readonly resolved: string;
  readonly main: string[];
  readonly testing: string[];
  readonly kafka: string[];
  readonly platformaticKafka: string[];
  readonly platformaticWithKafka: boolean;
  readonly postgres: string[];
  readonly pglite: string[];
  readonly pgliteWithPostgres: boolean;
  readonly pgliteLoadedByEntry: boolean;
  readonly kafkajsWithMain: boolean;
  readonly pgWithMain: boolean;
  readonly deep: string;
  readonly version: string;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** CI builds before testing; locally, a missing or stale build is made here. */
function ensureBuilt(): void {
  const built = ENTRIES.map((entry) => join(ROOT, entry));
  const sources = Math.max(
    newestSource(join(ROOT, 'src')),
    statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs,
  );
  if (built.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 110_000,
    },
  );
}

describe('the public face of the package', () => {
  let probe: Probe;

  beforeAll(() => {
    ensureBuilt();
    const output = execFileSync(process.execPath, ['-e', PROBE], { cwd: ROOT, encoding: 'utf8' });
    probe = JSON.parse(output) as Probe;
  }, 120_000);

  it('resolves streamwise to the built main entry of this package', () => {
    expect(probe.resolved).toBe(join(ROOT, 'dist/src/index.js'));
    expect(probe.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exports exactly the user API from the main entry', () => {
    expect(probe.main).toEqual([...MAIN].sort());
  });

  it('keeps internals out of the main entry', () => {
    const internals = [
      'MemoryBroker',
      'MemoryTransport',
      'KafkaTransport',
      'QueryServer',
      'TopicCodec',
      'TopicWriters',
      'WindowedAggregator',
      'WindowJoin',
      'murmur2',
      'encodeWireFormat',
      'decodeWireFormat',
      'ConfluentSchemaRegistryClient',
      'waitUntil',
      'Headers',
      'TestBed',
    ];
    expect(probe.main.filter((name) => internals.includes(name))).toEqual([]);
  });

  it('exports test helpers from streamwise/testing and the Kafka transport from streamwise/kafka', () => {
    expect(probe.testing).toEqual([...TESTING].sort());
    expect(probe.kafka).toEqual([...KAFKA].sort());
  });

  it('loads kafkajs only through streamwise/kafka', () => {
    expect(probe.kafkajsWithMain).toBe(false);
  });

  it('exports the second Kafka client only from streamwise/platformatic-kafka, and loads it only there', () => {
    expect(probe.platformaticKafka).toEqual([...PLATFORMATIC_KAFKA].sort());
    expect(probe.platformaticWithKafka).toBe(false);
  });

  it('exports the PostgreSQL replica database from streamwise/postgres, the only entry loading pg', () => {
    expect(probe.postgres).toEqual([...POSTGRES].sort());
    expect(probe.pgWithMain).toBe(false);
  });

  it('exports PGlite as a replica database from streamwise/pglite, loading it only on first use', () => {
    expect(probe.pglite).toEqual([...PGLITE].sort());
    expect(probe.pgliteWithPostgres).toBe(false);
    expect(probe.pgliteLoadedByEntry).toBe(false);
  });

  it('refuses deep imports of files the exports map does not list', () => {
    expect(probe.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
