import { rate, summarize, type Summary } from './stats';

/** One timed run: how many records were handled in how many milliseconds. */
export interface RunResult {
  readonly records: number;
  readonly ms: number;
  /** Printed after the run's figures, e.g. what a check found. */
  readonly note?: string;
}

export interface Scenario {
  /** Short id, selectable with BENCH_ONLY. */
  readonly id: string;
  readonly label: string;
  /** The scenario whose median is this one's baseline; undefined for a baseline or a reference. */
  readonly baseline?: string;
  /** Labelled as a reference: no ratio is computed. */
  readonly reference?: boolean;
  /** Runs once; `run` is unique per call ("w1", "r1", ...) for topic and group names. */
  readonly runOnce: (run: string) => Promise<RunResult>;
}

export interface Measurement {
  readonly scenario: Scenario;
  readonly records: number;
  /** Records per second of each measured run. */
  readonly rates: readonly number[];
  readonly summary: Summary;
}

/** Warm-up runs (not counted), then the measured runs; prints one line per run. */
export async function measure(
  scenario: Scenario,
  warmups: number,
  runs: number,
  print: (line: string) => void,
): Promise<Measurement> {
  print(`\n▶ ${scenario.label}`);
  const rates: number[] = [];
  let records = 0;
  for (let i = 1; i <= warmups + runs; i++) {
    const warm = i <= warmups;
    const name = warm ? `w${i}` : `r${i - warmups}`;
    const result = await scenario.runOnce(name);
    const perSecond = rate(result.records, result.ms);
    if (!warm) {
      rates.push(perSecond);
      records = result.records;
    }
    const label = warm ? `warm-up ${i}` : `run ${i - warmups}  `;
    print(
      `  ${label}: ${result.records.toLocaleString('en-US')} records in ${(result.ms / 1_000).toFixed(2)} s = ${formatRate(perSecond)} records/s${result.note === undefined ? '' : `  (${result.note})`}`,
    );
  }
  const summary = summarize(rates);
  print(
    `  median ${formatRate(summary.median)} records/s (min ${formatRate(summary.min)}, max ${formatRate(summary.max)})`,
  );
  return { scenario, records, rates, summary };
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '∞';
  return Math.round(perSecond).toLocaleString('en-US');
}
