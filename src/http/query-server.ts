import type { AddressInfo } from 'node:net';

import type { Meter } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, InjectOptions, LightMyRequestResponse } from 'fastify';
import Fastify from 'fastify';

import { AppStateError } from '../errors/app-state-error';
import { ConfigurationError } from '../errors/configuration-error';
import { NotFoundError } from '../errors/not-found-error';
import { QueryAbortedError } from '../errors/query-aborted-error';
import type { Logger } from '../logging/logger';
import { MAX_KEY_BYTES } from '../model/key-limit';
import type { QueryMetadata } from '../model/service/query-metadata';
import { readOptions } from '../options/read-options';
import { pathOf, toFastifyPath } from './fastify-path';
import type { QueryRouteRequest } from './forward-if-elsewhere';
import { forwardIfElsewhere } from './forward-if-elsewhere';
import { HEALTH_ROUTES, registerHealthRoutes } from './health-routes';
import { toFrameworkHttpError, toHttpError } from './http-error';
import { HttpExchange } from './http-exchange';
import { InFlightRequests, untilAborted } from './in-flight-requests';
import type { InstanceDirectory } from './instance-directory';
import { installJsonBodyParser } from './json-body-parser';
import type { MetricsSource } from './metrics-route';
import { METRICS_ROUTE, registerMetricsRoute } from './metrics-route';
import type { MountedQuery } from './mounted-query';
import { mountedQueries } from './mounted-query';
import { OpenConnections } from './open-connections';
import type { QueryRequest } from './query-request';
import type { MountOptions } from './query-routing';
import type { QueryServerAddress } from './query-server-address';
import type { QueryServerOptions } from './query-server-options';
import { QUERY_SERVER_OPTIONS } from './query-server-options-spec';
import { observeQuery } from './query-telemetry';
import { firstValues } from './query-values';
import type { ReadinessProvider } from './readiness-provider';
import { reportQueryError } from './report-query-error';
import { RouteClaims } from './route-claims';
import { sendQueryResult, sendRelayed } from './send-reply';
import { parseTimeoutParam } from './timeout-param';

type ServerState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * The HTTP side of an app (principle 1: queries and commands at the owner go over HTTP, never
 * through the broker): one fastify instance serving every service's @Query methods, health
 * probes, and forwarding of key-routed queries to the instance owning the key's partition.
 * Mount everything, then start(); stop() cuts long polls short and closes gracefully.
 */
export class QueryServer {
  readonly #fastify: FastifyInstance;
  readonly #logger: Logger;
  readonly #host: string;
  readonly #port: number;
  readonly #directory: InstanceDirectory | undefined;
  readonly #forwardTimeoutMs: number;
  readonly #stopGraceMs: number;
  readonly #meter: Meter | undefined;
  readonly #inFlight = new InFlightRequests();
  readonly #exchange = new HttpExchange();
  readonly #connections: OpenConnections;
  readonly #routes = new RouteClaims();
  #state: ServerState = 'created';
  #address: QueryServerAddress | undefined;
  #starting: Promise<unknown> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(given: QueryServerOptions) {
    const options = readOptions(QUERY_SERVER_OPTIONS, given);
    this.#logger = options.logger.child({ component: 'query-server' });
    this.#host = options.host;
    this.#port = options.port;
    this.#directory = options.directory;
    this.#forwardTimeoutMs = options.forwardTimeoutMs;
    this.#stopGraceMs = options.stopGraceMs;
    this.#meter = options.meter;
    this.#fastify = Fastify({
      logger: false,
      bodyLimit: options.bodyLimit,
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      // Keys travel as path params; fastify's default (100 chars) would 404 longer ones. A key
      // of MAX_KEY_BYTES bytes has at most as many characters, so GET reaches every key.
      routerOptions: { maxParamLength: MAX_KEY_BYTES },
    });
    this.#connections = new OpenConnections(this.#fastify.server);
    installJsonBodyParser(this.#fastify);
    this.#fastify.setNotFoundHandler(async (request, reply) => {
      const route = `${request.method} ${pathOf(request)}`;
      const error = new NotFoundError(
        `No query at ${route}. Check the method and path against the service's @Query routes.`,
      );
      reportQueryError(this.#logger, reply, toHttpError(error), { route });
      return reply;
    });
    this.#fastify.setErrorHandler(async (error: unknown, request, reply) => {
      reportQueryError(
        this.#logger,
        reply,
        toFrameworkHttpError(error),
        { route: request.url },
        error,
      );
      return reply;
    });
    // An answer sent while stopping must not keep its keep-alive connection open.
    this.#fastify.addHook('onSend', async (_request, reply) => {
      if (this.#state === 'stopping') reply.header('connection', 'close');
    });
  }

  /**
   * Serves a service's @Query methods (from describeService(cls).queries). Path params go to the
   * method positionally in `params` order, then a QueryRequest. `options.routing` makes queries
   * key-routed: answered by the instance that owns the key's partition (needs a directory).
   */
  mount(
    serviceName: string,
    instance: object,
    queries: readonly QueryMetadata[],
    options: MountOptions = {},
  ): void {
    this.#assertNotStarted(`mount ${serviceName}`);
    const mounted = mountedQueries(serviceName, instance, queries, {
      routing: options.routing ?? {},
      hasDirectory: this.#directory !== undefined,
    });
    for (const query of mounted) {
      this.#routes.claim(query.metadata, `${serviceName}.${query.metadata.method}`);
    }
    for (const query of mounted) this.#register(query);
  }

  /** Adds GET /health/live and GET /health/ready (200 or 503, with checks and lag). */
  mountHealth(readiness: ReadinessProvider): void {
    this.#assertNotStarted('mount health routes');
    for (const route of HEALTH_ROUTES) this.#routes.claim(route, 'the health routes');
    registerHealthRoutes(this.#fastify, readiness);
  }

  /** Adds GET /metrics, answered with what `source` gives (the Prometheus text format). */
  mountMetrics(source: MetricsSource): void {
    this.#assertNotStarted('mount the metrics route');
    this.#routes.claim(METRICS_ROUTE, 'the metrics route');
    registerMetricsRoute(this.#fastify, source);
  }

  async start(): Promise<{ url: string }> {
    if (this.#state !== 'created') {
      throw new AppStateError(
        `QueryServer.start() was already called (it is ${this.#state}); create a new server to start again.`,
      );
    }
    this.#state = 'starting';
    const listening = this.#fastify.listen({ host: this.#host, port: this.#port });
    this.#starting = listening;
    try {
      await listening;
    } catch (error) {
      this.#state = 'stopped';
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError(
        `The query server cannot listen on ${this.#host}:${this.#port} (${reason}). Choose another host or port (port 0 picks a free one), or stop whatever holds it.`,
      );
    }
    const { address: host, port } = this.#fastify.server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.#address = { host, port, url };
    this.#state = 'running';
    this.#logger.info('query server listening', { url });
    return { url };
  }

  /** Answers a request in-process through the mounted routes (fastify.inject): no port needed. */
  inject(request: InjectOptions): Promise<LightMyRequestResponse> {
    return this.#fastify.inject(request);
  }

  /** Where the server listens; only while it runs. */
  get address(): QueryServerAddress {
    if (this.#address === undefined || this.#state !== 'running') {
      throw new AppStateError(
        `The query server is ${this.#state}, so it has no address: read address after start() resolved.`,
      );
    }
    return this.#address;
  }

  /**
   * Stops accepting requests, aborts in-flight ones' signals (long polls answer 503, retriable
   * elsewhere), waits up to stopGraceMs for them to finish, then cuts what is left. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    this.#state = 'stopping';
    this.#inFlight.abortAll(new QueryAbortedError('the server is stopping'));
    const grace = setTimeout(() => {
      this.#logger.warn('requests still running after the stop grace period; closing them', {
        stopGraceMs: this.#stopGraceMs,
      });
      this.#fastify.server.closeAllConnections();
    }, this.#stopGraceMs);
    try {
      const closing = this.#fastify.close();
      this.#connections.drain();
      await closing;
    } finally {
      clearTimeout(grace);
      this.#state = 'stopped';
      this.#address = undefined;
      await this.#exchange.close();
    }
  }

  #assertNotStarted(action: string): void {
    if (this.#state !== 'created') {
      throw new AppStateError(
        `Cannot ${action}: the query server is ${this.#state}. Mount every service and the health routes before start().`,
      );
    }
  }

  #register(query: MountedQuery): void {
    this.#fastify.route<{ Params: Record<string, string> }>({
      method: query.metadata.httpMethod,
      url: toFastifyPath(query.metadata.path),
      handler: observeQuery(
        query.metadata.path,
        async (request, reply) => {
          await this.#answer(query, request, reply);
          return reply;
        },
        this.#meter,
      ),
    });
  }

  async #answer(
    query: MountedQuery,
    request: QueryRouteRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const { service, metadata } = query;
    const inFlight = this.#inFlight.open(reply.raw);
    try {
      const values = firstValues(request.query);
      const timeoutMs = parseTimeoutParam(values.timeout);
      const params: Record<string, string> = {};
      for (const name of metadata.params) params[name] = String(request.params[name]);
      const relayed = await forwardIfElsewhere(query, params, request, {
        directory: this.#directory,
        forwardTimeoutMs: this.#forwardTimeoutMs,
        requestTimeoutMs: timeoutMs,
        signal: inFlight.signal,
        exchange: this.#exchange,
      });
      if (relayed !== undefined) {
        sendRelayed(reply, relayed);
        return;
      }
      const queryRequest: QueryRequest = {
        query: values,
        body: request.body,
        headers: request.headers,
        signal: inFlight.signal,
        timeoutMs,
      };
      const args = [...metadata.params.map((name) => params[name]), queryRequest];
      const result = await untilAborted(
        Promise.resolve(query.method.apply(query.instance, args)),
        inFlight.signal,
      );
      sendQueryResult(reply, result, `Nothing found at ${request.method} ${pathOf(request)}.`);
    } catch (error) {
      reportQueryError(
        this.#logger,
        reply,
        toHttpError(error),
        { service, method: metadata.method, route: `${metadata.httpMethod} ${metadata.path}` },
        error,
      );
    } finally {
      inFlight.close();
    }
  }
}
