import type { Attributes, Gauge, Meter } from '@opentelemetry/api';

import { registeredMeter } from './providers';

/** What a restore reports (the state layer's RestoreProgress, as far as metrics read it). */
export interface RestoreFigures {
  readonly kind: string;
  readonly name: string;
  readonly topic: string;
  readonly done: number;
  readonly remaining: number;
}

/**
 * The app's restore listener, also recording each report as gauges (records restored and
 * remaining per view or store) when a meter provider is registered or `meter` is given; the
 * listener itself otherwise. Reports come every few seconds of a restore and at its end.
 */
export function observeRestores<P extends RestoreFigures>(
  listener: ((progress: P) => void) | undefined,
  meter: Meter | undefined = registeredMeter(),
): ((progress: P) => void) | undefined {
  if (meter === undefined) return listener;
  const restored: Gauge = meter.createGauge('streamwise.restore.records_restored', {
    description: 'Records a view or store restore has read so far.',
  });
  const remaining: Gauge = meter.createGauge('streamwise.restore.records_remaining', {
    description: 'Records a view or store restore still has to read.',
  });
  return (progress) => {
    const attributes: Attributes = {
      'streamwise.restore.kind': progress.kind,
      'streamwise.restore.name': progress.name,
      'messaging.destination.name': progress.topic,
    };
    restored.record(progress.done, attributes);
    remaining.record(progress.remaining, attributes);
    listener?.(progress);
  };
}
