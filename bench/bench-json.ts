import { writeFile } from 'node:fs/promises';

import type { Measurement } from './measure';
import { baselineRatio, byScenarioId } from './ratio';

/** One scenario in the BENCH_JSON file; `extra` figures (e.g. p50Ms, p99Ms) sit beside these. */
export interface BenchJsonScenario {
  readonly id: string;
  readonly median: number;
  readonly unit: string;
  /** median / the baseline's median; null without a baseline or when the baseline was not run. */
  readonly ratio: number | null;
  /** The baseline scenario's id; null for a baseline or a reference. */
  readonly baseline: string | null;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly [extra: string]: number | string | null;
}

export interface BenchJson {
  readonly scenarios: readonly BenchJsonScenario[];
}

/** What `BENCH_JSON=<file>` writes: the summary table in a form tools can check targets against. */
export function benchJson(measurements: readonly Measurement[]): BenchJson {
  const byId = byScenarioId(measurements);
  return {
    scenarios: measurements.map((m) => ({
      id: m.scenario.id,
      median: m.summary.median,
      unit: m.scenario.unit ?? 'records/s',
      ratio: baselineRatio(m, byId),
      baseline: m.scenario.reference === true ? null : (m.scenario.baseline ?? null),
      min: m.summary.min,
      max: m.summary.max,
      runs: m.rates.length,
      ...extraFigures(m.extra),
    })),
  };
}

const STANDARD_FIELDS = new Set([
  'id',
  'median',
  'unit',
  'ratio',
  'baseline',
  'min',
  'max',
  'runs',
]);

/** A scenario's extra figures, minus any that would shadow a standard field. */
function extraFigures(extra: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(extra).filter(([name]) => !STANDARD_FIELDS.has(name)));
}

export async function writeBenchJson(
  file: string,
  measurements: readonly Measurement[],
): Promise<void> {
  await writeFile(file, `${JSON.stringify(benchJson(measurements), null, 2)}\n`);
}
