import type { Container } from 'inversify';

import type { Clock } from '../clock/clock';
import type { SchemaRegistryOption } from '../codec/registry/resolve-schema-registry';
import type { Logger } from '../logging/logger';
import type { RetryOptions } from '../model/service/retry-options';
import type { EnvelopeHeaders } from '../model/topics/envelope-header';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import type { ReplicaDatabase } from '../replicas/replica-database';
import type { ServiceClass } from '../runtime/service-class';
import type { RestoreProgressListener } from '../state/restore-progress';
import type { ConsumerSpanParent } from '../telemetry/messaging-tracing';
import type { Transport } from '../transport/transport';
import type { HttpOptions } from './http-options';

export interface StreamwiseAppOptions {
  /** The services this process runs (one instance of each). */
  readonly services: readonly ServiceClass[];
  /**
   * Where records live: `memoryTransport()` for an in-process broker (tests, demos) or
   * `new KafkaTransport({ brokers })` from 'streamwise/kafka'. Required: an app that silently
   * ran in memory would lose every record the moment it stops.
   */
  readonly transport: Transport;
  /** Your inversify container: services' constructor dependencies are resolved from it. */
  readonly container?: Container;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** App-wide retry defaults; a service's or handler's own options override them. */
  readonly retry?: RetryOptions;
  /**
   * Owners of topics whose definition names none (e.g. defined by another team without `owner`),
   * e.g. { orders: 'orders-service' }, so consumers here can check the producer in each record's envelope; an
   * entry replaces the owner a definition names. Prefer `defineTopic({ owner })`.
   */
  readonly owners?: Readonly<Record<string, string>>;
  /**
   * What consumers do with records without a producer in their envelope, on topics that do not set
   * `unsignedRecords` themselves: 'accept' (default), 'warn' (rate-limited) or 'dead-letter'
   * (reason `unsigned-record`; views skip them).
   */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  /**
   * The HTTP server for @Query routes and /health/live, /health/ready. Started when given, or
   * when a service has @Query routes (on a free port); `false` never starts it.
   */
  readonly http?: HttpOptions | false;
  /** This process's id among the instances of its services (default: a random UUID). */
  readonly instanceId?: string;
  /**
   * Stop gracefully on SIGTERM and SIGINT, then exit (default false; the CLI and examples turn it
   * on). Handled from the moment start() is called; a start() a signal interrupts never settles.
   */
  readonly handleSignals?: boolean;
  /**
   * With handleSignals, how long the stop a signal began may take (default 25000, below the 30 s
   * Kubernetes waits before SIGKILL): then the process logs that and exits with 1, its unfinished
   * records uncommitted (they are delivered again), instead of waiting on a handler that hangs.
   */
  readonly signalStopTimeoutMs?: number;
  /**
   * How long stop() waits (default 30000) before it rejects with StopTimeoutError, which names the
   * steps it was still waiting for (a service finishing its records in flight, the transport
   * disconnecting, ...). The stop goes on in the background; a later stop() waits for it again.
   */
  readonly stopTimeoutMs?: number;
  /**
   * A Confluent-compatible schema registry, `{ url }` or any SchemaRegistry. With one, topics with
   * a schema are written in its wire format and owned topics register their schema at start-up.
   * Without one, values stay plain JSON (the topic's valueSerde) and are still validated locally.
   */
  readonly schemaRegistry?: SchemaRegistryOption;
  /**
   * Folder of persistent @Materialize tables (`store: 'persistent'`), one LMDB store per table at
   * `<stateDir>/<service>/<property>`. Default `.streamwise-state` under the working directory.
   * Each running instance needs its own: a store in use by another process is refused.
   */
  readonly stateDir?: string;
  /**
   * Create missing topics that services here read but a service elsewhere owns (default: false on
   * Kafka, where start() fails with MissingTopicError instead, so a typo in a topic name is loud;
   * true on the memory transport, where tests run consumers without their owners).
   */
  readonly createForeignTopics?: boolean;
  /** Clear every persistent table at start and read its topic again from offset 0 (default false). */
  readonly rebuildTables?: boolean;
  /**
   * Called while a @Materialize view catches up with its topic at start, and while a @State or
   * windowed store restores newly assigned partitions from its changelog: every 2 s of the app's
   * clock and once at the end (`finished: true`). The same figures are logged at info level.
   */
  readonly onRestoreProgress?: RestoreProgressListener;
  /**
   * The database of the services' @Replicate tables: `postgresDatabase({ connectionString })` from
   * 'streamwise/postgres'. Required when a service has one. The app does not close it.
   */
  readonly replicaDatabase?: ReplicaDatabase;
  /**
   * Spans, when the app registered an OpenTelemetry tracer provider (without one streamwise does
   * no tracing work at all). `consumerSpans: 'child'` makes each record's `process` span a child of
   * the span that published it, so a request and all it causes form one trace; the default,
   * 'linked', starts a trace per record with a link to the producer's span.
   */
  readonly tracing?: { readonly consumerSpans?: ConsumerSpanParent };
  /**
   * `prometheus: true` serves the app's metrics at GET /metrics on its HTTP server (started for it
   * even without @Query routes), in the Prometheus text format. The metrics then go to a meter
   * provider of the app's own, not to a global one; it needs the optional peer dependencies
   * `@opentelemetry/exporter-prometheus` and `@opentelemetry/sdk-metrics`.
   */
  readonly metrics?: { readonly prometheus?: boolean };
  /**
   * How publishes write each record's envelope (event id, type, schema version, producer):
   * 'single' (default) in one `sw-envelope` header; 'separate' in the four headers `sw-event-id`,
   * `sw-event-type`, `sw-schema-version` and `sw-producer`, as earlier versions of streamwise
   * wrote them. Every app reads both. Choose 'separate' while something still reads the four
   * headers: apps of an earlier streamwise during a rolling upgrade, or consumers that are not
   * streamwise. The Kafka clients of Node pay for every header of every record: the relay moved
   * 4 % to 27 % more records/s with one header than with four (bench/RESULTS.md).
   */
  readonly envelopeHeaders?: EnvelopeHeaders;
}
