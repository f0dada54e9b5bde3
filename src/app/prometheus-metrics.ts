import type { Meter } from '@opentelemetry/api';

import type { Logger } from '../logging/logger';
import { INSTRUMENTATION_NAME } from '../telemetry/providers';
import { loadOptionalPeers } from './load-optional-peers';

/** What `metrics: { prometheus: true }` needs installed (optional peer dependencies). */
export const PROMETHEUS_PACKAGES = [
  '@opentelemetry/exporter-prometheus',
  '@opentelemetry/sdk-metrics',
] as const;

/** The app's own meter provider, read by GET /metrics. */
export interface PrometheusMetrics {
  /** The meter every instrument of the app is created on. */
  readonly meter: Meter;
  /** Every metric of the app now, in the Prometheus text exposition format. */
  scrape(): Promise<string>;
  shutdown(): Promise<void>;
}

async function loadPackages() {
  const [exporter, sdk] = await Promise.all([
    import('@opentelemetry/exporter-prometheus'),
    import('@opentelemetry/sdk-metrics'),
  ]);
  return { exporter, sdk };
}

/**
 * A meter provider of the app's own with the OpenTelemetry Prometheus exporter as its reader
 * (pull only: the exporter's own server is not started, the query server answers /metrics). The
 * app's own rather than the global one because a global SDK provider takes no reader after it
 * was built, and because each app in a process (tests, the demo) then reports only its own
 * services.
 */
export async function createPrometheusMetrics(logger: Logger): Promise<PrometheusMetrics> {
  const { exporter, sdk } = await loadOptionalPeers(
    'metrics.prometheus',
    PROMETHEUS_PACKAGES,
    loadPackages,
  );
  const reader = new exporter.PrometheusExporter({ preventServerStart: true });
  const provider = new sdk.MeterProvider({ readers: [reader] });
  const serializer = new exporter.PrometheusSerializer();
  return {
    meter: provider.getMeter(INSTRUMENTATION_NAME),
    scrape: async () => {
      const { resourceMetrics, errors } = await reader.collect();
      for (const error of errors) logger.warn('collecting a metric failed', { error });
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
