import type { Measurement } from './measure';

/**
 * A scenario's median over its baseline's median. null when the scenario has no baseline (it is
 * one, or a reference) or when its baseline was not run (BENCH_ONLY left it out): a ratio against
 * a figure from another run would mix conditions the interleaved rounds exist to keep equal.
 */
export function baselineRatio(
  measurement: Measurement,
  byId: ReadonlyMap<string, Measurement>,
): number | null {
  const { scenario, summary } = measurement;
  if (scenario.reference === true || scenario.baseline === undefined) return null;
  const baseline = byId.get(scenario.baseline);
  if (baseline === undefined || baseline.rates.length === 0) return null;
  return summary.median / baseline.summary.median;
}

export function byScenarioId(measurements: readonly Measurement[]): Map<string, Measurement> {
  return new Map(measurements.map((m) => [m.scenario.id, m]));
}
