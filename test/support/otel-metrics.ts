import { metrics } from '@opentelemetry/api';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

/** A reader collected on demand, as a test needs it. */
class OnDemandReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestMetrics {
  /** Every metric collected now. */
  readonly collect: () => Promise<MetricData[]>;
  /** The sum (counter) or count (histogram) of `name` over the points whose attributes match. */
  readonly value: (name: string, attributes?: Readonly<Record<string, unknown>>) => Promise<number>;
  readonly stop: () => Promise<void>;
}

/** A global meter provider as an app would register one, read on demand. */
export function registerTestMetrics(): TestMetrics {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  const collect = async (): Promise<MetricData[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    collect,
    value: async (name, attributes = {}) => {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      const points = (metric?.dataPoints ?? []) as DataPoint<number | Histogram>[];
      return points
        .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
        .reduce((sum, p) => sum + (typeof p.value === 'number' ? p.value : p.value.count), 0);
    },
    stop: async () => {
      metrics.disable();
      await provider.shutdown();
    },
  };
}
