import type { PartitionClaims } from '../http/partition-claims';
import type { QueryServer } from '../http/query-server';
import type { Transport } from '../transport/transport';
import type { PrometheusMetrics } from './prometheus-metrics';
import type { ServiceHost } from './service-host';
import type { ShutdownProgress } from './shutdown-progress';

/** What an app has started, as start() goes; stop() stops and forgets them. */
export class AppParts {
  http: QueryServer | undefined;
  registry: PartitionClaims | undefined;
  /** In the order they started: they stop in reverse. */
  hosts: ServiceHost[] = [];
  metrics: PrometheusMetrics | undefined;
  stopLagMetrics: (() => void) | undefined;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Stops every part, each as a step of `progress`: the HTTP server first (queries must not read
   * from services that are shutting down), then the services, the partition claims, the
   * transport and the metrics. A service that fails to stop does not keep the others running;
   * its error is thrown once everything else stopped. A second call finds nothing left to stop
   * but the transport, whose disconnect is idempotent.
   */
  async stop(progress: ShutdownProgress): Promise<void> {
    const { http, registry, hosts, metrics } = this;
    this.stopLagMetrics?.();
    this.stopLagMetrics = undefined;
    this.http = undefined;
    this.registry = undefined;
    this.hosts = [];
    this.metrics = undefined;
    if (http !== undefined) await progress.step('the HTTP server closing', () => http.stop());
    const results = await Promise.allSettled(
      [...hosts].reverse().map((host) => host.stop(progress)),
    );
    if (registry !== undefined) {
      await progress.step('the partition claims stopping', () => registry.stop());
    }
    await progress.step('the transport disconnecting', () => this.#transport.disconnect());
    if (metrics !== undefined) {
      await progress.step('the metrics endpoint shutting down', () => metrics.shutdown());
    }
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
