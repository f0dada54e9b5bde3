import type { Meter, ObservableResult } from '@opentelemetry/api';

import { registeredMeter } from './providers';

/** How far one consumer group is behind on one partition it holds. */
export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** Log end offset minus the group's committed offset (the next one it will read). */
  readonly lag: number;
}

/**
 * Consumer lag per partition as an observable gauge: `read` runs only when the metrics are
 * collected (a scrape, or an SDK's export interval), never per record. Returns the function that
 * stops observing (the app calls it at stop); undefined when there is no meter at all.
 */
export function observeConsumerLag(
  read: () => Promise<readonly PartitionLag[]>,
  meter: Meter | undefined = registeredMeter(),
): (() => void) | undefined {
  if (meter === undefined) return undefined;
  const gauge = meter.createObservableGauge('streamwise.consumer.lag', {
    description:
      'Records of a partition the consumer group has not committed yet: log end offset minus committed offset.',
  });
  const callback = async (result: ObservableResult): Promise<void> => {
    for (const { group, topic, partition, lag } of await read()) {
      result.observe(lag, {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(partition),
        'messaging.consumer.group.name': group,
      });
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
