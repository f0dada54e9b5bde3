import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock/clock';
import { SystemClock } from '../clock/system-clock';
import { within } from '../clock/within';
import { registerOwnedSchemas } from '../codec/registry/register-owned-schemas';
import { resolveSchemaRegistry } from '../codec/registry/resolve-schema-registry';
import { TopicCodec } from '../codec/topic-codec';
import { AppStateError } from '../errors/app-state-error';
import { StopTimeoutError } from '../errors/stop-timeout-error';
import { PartitionClaims } from '../http/partition-claims';
import { adaptLogger } from '../logging/adapt-logger';
import { ConsoleLogger } from '../logging/console-logger';
import type { Logger } from '../logging/logger';
import { changelogSpecs } from '../model/changelog-topic';
import { routesQueries } from '../model/service/routed-queries';
import type { ServiceDescription } from '../model/service/service-description';
import { readOptions } from '../options/read-options';
import { requireReplicaDatabase } from '../replicas/require-replica-database';
import type { ServiceClass } from '../runtime/service-class';
import type { StreamService } from '../runtime/stream-service';
import { TopicWriters } from '../runtime/topic-writers';
import { observeConsumerLag } from '../telemetry/consumer-lag-metrics';
import { observeRestores } from '../telemetry/restore-metrics';
import type { Subscription, Transport } from '../transport/transport';
import { createAppHttp } from './app-http-server';
import type { StreamwiseAppOptions } from './app-options';
import { APP_OPTIONS } from './app-options-spec';
import { AppParts } from './app-parts';
import { AppReadiness } from './app-readiness';
import { createServiceHosts, describeAll } from './app-services';
import { appTopicSpecs, foreignTopics } from './app-topics';
import { consumerLag, lagSources } from './consumer-lag';
import { ensureTopics } from './ensure-topics';
import { createPrometheusMetrics } from './prometheus-metrics';
import { ShutdownProgress } from './shutdown-progress';
import { type SignalHandlers, stopOnSignals, unlessSignalled } from './stop-on-signals';
import { isStoppedDuringStart, stoppedDuringStart } from './stopped-during-start';

/** How long start() waits to see its own partition claims on a transport without its own limit. */
const DEFAULT_ROUTING_WAIT_MS = 60_000;

/** How long stop() waits by default, as Spring's lifecycle.timeout-per-shutdown-phase does. */
const DEFAULT_STOP_TIMEOUT_MS = 30_000;

type AppState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * A process running a set of services on one transport: it validates the services, enforces
 * single writers, creates topics, wires instances through inversify and runs their consumers.
 */
export class StreamwiseApp {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How this app's values become bytes and back: validation, registry wire format, upcasting. */
  readonly values: TopicCodec;
  readonly #options: StreamwiseAppOptions;
  readonly #descriptions: readonly ServiceDescription[];
  readonly #writers: TopicWriters;
  /** This process's id among the instances of its services (query forwarding, logs). */
  readonly instanceId: string;
  #state: AppState = 'created';
  #stopping: Promise<void> | undefined;
  /** The running start(), which a stop() waits for: it ends by stopping what it had started. */
  #starting: Promise<this> | undefined;
  #signals: SignalHandlers | undefined;
  /** What a stop() under way waits for, for the error of one that takes too long. */
  readonly #progress = new ShutdownProgress();
  readonly #parts: AppParts;

  private constructor(options: StreamwiseAppOptions) {
    options = readOptions(APP_OPTIONS, options);
    this.#options = options;
    this.#descriptions = describeAll(options.services);
    this.#writers = TopicWriters.build(
      this.#descriptions.map((d) => ({
        name: d.name,
        owns: [...d.owns, ...changelogSpecs(d)],
        consumes: d.consumes,
      })),
      options.owners,
    );
    this.instanceId = options.instanceId ?? randomUUID();
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger === undefined ? new ConsoleLogger() : adaptLogger(options.logger);
    this.transport = options.transport;
    this.#parts = new AppParts(options.transport);
    this.values = new TopicCodec(resolveSchemaRegistry(options.schemaRegistry));
    requireReplicaDatabase(this.#descriptions, options.replicaDatabase);
  }

  /**
   * Validates the options and the services (decorators, base class, unique names, one owner per
   * topic) and returns an app ready to start. Every misconfiguration throws here, before any I/O.
   */
  static create(options: StreamwiseAppOptions): StreamwiseApp {
    return new StreamwiseApp(options);
  }

  get state(): AppState {
    return this.#state;
  }

  get services(): readonly ServiceDescription[] {
    return this.#descriptions;
  }

  get writers(): TopicWriters {
    return this.#writers;
  }

  /** The running instance of a service class. */
  service<T extends StreamService>(type: ServiceClass<T>): T {
    const host = this.#parts.hosts.find((h) => h.instance instanceof type);
    if (host === undefined) {
      throw new AppStateError(
        `${type.name} is not running in this app: pass it in services and start() the app first.`,
      );
    }
    return host.instance as T;
  }

  /** The consumer-group member of a running service, e.g. to inspect its assignment. */
  subscriptionOf(type: ServiceClass): Subscription | undefined {
    return this.#parts.hosts.find((h) => h.instance instanceof type)?.subscription;
  }

  start(): Promise<this> {
    if (this.#state !== 'created') {
      return Promise.reject(
        new AppStateError(
          `start() was already called (the app is ${this.#state}); create a new app to start again (only a start() that failed can be called again).`,
        ),
      );
    }
    this.#state = 'starting';
    this.#signals =
      this.#options.handleSignals === true
        ? stopOnSignals(
            () => this.stop(),
            this.logger,
            this.#options.signalStopTimeoutMs,
            () => this.#progress.pending(),
          )
        : undefined;
    this.#starting = this.#start();
    return unlessSignalled(this.#starting, this.#signals);
  }

  /**
   * Each step checks, once it is done, whether stop() was called meanwhile: a stop during start
   * must not leave a service started after it (a consumer nobody stops keeps the process alive).
   */
  async #start(): Promise<this> {
    try {
      if (this.#options.metrics?.prometheus === true) {
        this.#parts.metrics = await createPrometheusMetrics(this.logger);
      }
      const meter = this.#parts.metrics?.meter;
      await this.transport.connect();
      this.#throwIfStopping();
      await ensureTopics(
        this.transport,
        appTopicSpecs(this.#descriptions, { http: this.#options.http !== false }),
        (this.#options.createForeignTopics ?? this.transport.kind === 'memory')
          ? new Map()
          : foreignTopics(this.#descriptions, this.#writers),
      );
      await registerOwnedSchemas(this.values, this.#descriptions, this.logger);
      this.#throwIfStopping();
      const registry = routesQueries(this.#descriptions, this.#options.http !== false)
        ? (this.#parts.registry = new PartitionClaims(
            this.instanceId,
            this.transport,
            this.clock,
            this.logger,
            this.values,
          ))
        : undefined;
      this.#parts.hosts = createServiceHosts(this.#descriptions, this.#options.container, {
        transport: this.transport,
        writers: this.#writers,
        clock: this.clock,
        logger: this.logger,
        retry: this.#options.retry,
        values: this.values,
        registry,
        tableStorage: {
          stateDir: this.#options.stateDir,
          rebuildTables: this.#options.rebuildTables,
        },
        onRestoreProgress: observeRestores(this.#options.onRestoreProgress, meter),
        unsignedRecords: this.#options.unsignedRecords,
        consumerSpans: this.#options.tracing?.consumerSpans,
        replicaDatabase: this.#options.replicaDatabase,
        meter,
        envelopeHeaders: this.#options.envelopeHeaders,
      });
      // The HTTP server starts before the consumers, so instances can advertise where they answer.
      this.#parts.http = createAppHttp({
        http: this.#options.http,
        hosts: this.#parts.hosts,
        readiness: this.readiness,
        registry,
        logger: this.logger,
        metrics: this.#parts.metrics,
      });
      if (this.#parts.http !== undefined) {
        const { url } = await this.#parts.http.start();
        this.logger.info('serving queries and health', { url });
        this.#throwIfStopping();
      }
      if (registry !== undefined) {
        const http = this.#options.http;
        await registry.start(
          (http === false ? undefined : http?.advertisedUrl) ?? this.httpUrl ?? '',
        );
      }
      for (const host of this.#parts.hosts) {
        await host.start();
        this.#throwIfStopping();
      }
      this.#parts.stopLagMetrics = observeConsumerLag(
        () => consumerLag(this.transport, lagSources(this.#parts.hosts), this.logger),
        meter,
      );
      // Resolve only once this instance can route to itself: a GET sent right after start()
      // must find this instance's own claims, not "no holder".
      await registry?.untilOwnClaimsVisible(
        this.transport.startupTimeoutMs ?? DEFAULT_ROUTING_WAIT_MS,
      );
      this.#throwIfStopping();
    } catch (error) {
      // Everything started so far is stopped, so the same app can be started again (e.g. once
      // the broker is up); a failure while cleaning up is logged, the start-up error is thrown.
      await this.#shutdown().catch((cleanup: unknown) =>
        this.logger.warn('stopping what a failed start() had started failed', { error: cleanup }),
      );
      if (this.#stopping !== undefined) {
        throw isStoppedDuringStart(error) ? error : stoppedDuringStart(error);
      }
      this.#signals?.remove();
      this.#state = 'created';
      throw error;
    }
    this.#state = 'running';
    return this;
  }

  /** Stops every service (finishing in-flight records and committing), then the transport. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const starting = this.#starting;
      this.#state = 'stopping';
      this.#signals?.remove();
      // Stopped alongside a start() still running (its restores are abandoned); that start then
      // rejects and stops what it started after this shutdown, which the stop waits for.
      const [shutdown] = await Promise.allSettled([
        this.#shutdown(),
        starting && this.#progress.step('start() stopping what it had started', () => starting),
      ]);
      if (shutdown.status === 'rejected') throw shutdown.reason;
      this.#state = 'stopped';
    })();
    const ms = this.#options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    return within(this.#stopping, ms, () => new StopTimeoutError(ms, this.#progress.pending()));
  }

  /** Base URL of the app's HTTP server (queries and health), once started; undefined without one. */
  get httpUrl(): string | undefined {
    return this.#parts.http?.address.url;
  }

  /** The readiness /health/ready reports, also for apps without an HTTP server. */
  get readiness(): AppReadiness {
    return new AppReadiness(() => this.#parts.hosts, this.transport);
  }

  /** The instance holding a partition of a service's data, as this instance sees the claims. */
  partitionHolder(
    service: string,
    topic: string,
    partition: number,
  ): { instanceId: string; url: string } | undefined {
    return this.#parts.registry?.holderOf(service, topic, partition);
  }

  #throwIfStopping(): void {
    if (this.#stopping !== undefined) throw stoppedDuringStart();
  }

  #shutdown(): Promise<void> {
    return this.#parts.stop(this.#progress);
  }
}
