import { rate, summarize, type Summary } from './stats';

/** One timed run: how many records were handled in how many milliseconds. */
export interface RunResult {
  readonly records: number;
  readonly ms: number;
  /** Printed after the run's figures, e.g. what a check found. */
  readonly note?: string;
  /** Further figures of the run (e.g. latency percentiles); each is summarised by its median. */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface Scenario {
  /** Short id, selectable with BENCH_ONLY. */
  readonly id: string;
  readonly label: string;
  /** The scenario whose median is this one's baseline; undefined for a baseline or a reference. */
  readonly baseline?: string;
  /**
   * A diagnostic scenario doing part of this one's work on a raw client, with nothing of streamwise
   * around it (the raw relay writing the same envelope, the raw read that also parses and keeps
   * each value): the summary says what share of its median this scenario reached, which tells the
   * framework's own cost apart from how fast the client ran in this run.
   */
  readonly sameWork?: string;
  /** Labelled as a reference: no ratio is computed. */
  readonly reference?: boolean;
  /** What the rate counts per second (default "records/s"). */
  readonly unit?: string;
  /** Runs without a broker: when only such scenarios are selected, none is required. */
  readonly offline?: boolean;
  /**
   * Leaves process-wide state behind that slows what runs after it (OpenTelemetry's context
   * manager keeps Node's async hooks on for every later promise): its rounds run after every
   * other scenario's, which are then measured as in a process that never registered it.
   */
  readonly runsLast?: boolean;
  /** Runs once; `run` is unique per call ("w1", "r1", ...) for topic and group names. */
  readonly runOnce: (run: string) => Promise<RunResult>;
  /** Stops what the scenario keeps running between its runs (e.g. app instances); called once at the end. */
  readonly close?: () => Promise<void>;
}

export interface Measurement {
  readonly scenario: Scenario;
  readonly records: number;
  /** Records per second of each measured run. */
  readonly rates: readonly number[];
  readonly summary: Summary;
  /** Median over the measured runs of each of the runs' `extra` figures. */
  readonly extra: Readonly<Record<string, number>>;
}

export interface MeasureOptions {
  readonly warmups: number;
  readonly runs: number;
  readonly print: (line: string) => void;
  /** Called after each run; what it returns is printed with the run (e.g. counted warnings). */
  readonly afterRun?: () => string | undefined;
}

/**
 * Runs the scenarios in rounds: first the warm-up rounds (not counted), then the measured rounds;
 * every round runs each scenario once, in alternating order. Interleaving puts a scenario and its
 * baseline under the same conditions (broker state, page cache, JIT, other load on the machine)
 * instead of measuring the baseline minutes earlier. Scenarios marked `runsLast` get their rounds
 * after all the others.
 */
export async function measureAll(
  scenarios: readonly Scenario[],
  options: MeasureOptions,
): Promise<Measurement[]> {
  const { warmups, runs, print } = options;
  const rates = new Map<string, number[]>(scenarios.map((scenario) => [scenario.id, []]));
  const records = new Map<string, number>();
  const extras = new Map<string, Record<string, number>[]>();
  const width = Math.max(...scenarios.map((scenario) => scenario.id.length));
  const phases = [
    scenarios.filter((scenario) => scenario.runsLast !== true),
    scenarios.filter((scenario) => scenario.runsLast === true),
  ];
  for (const phase of phases) {
    for (let round = 1; phase.length > 0 && round <= warmups + runs; round++) {
      const warm = round <= warmups;
      const name = warm ? `w${round}` : `r${round - warmups}`;
      print(`\n${warm ? `warm-up round ${round}` : `measured round ${round - warmups}`}:`);
      const order = round % 2 === 1 ? phase : [...phase].reverse();
      for (const scenario of order) {
        const result = await scenario.runOnce(name);
        const perSecond = rate(result.records, result.ms);
        if (!warm) {
          rates.get(scenario.id)?.push(perSecond);
          records.set(scenario.id, result.records);
          if (result.extra !== undefined) {
            extras.set(scenario.id, [...(extras.get(scenario.id) ?? []), { ...result.extra }]);
          }
        }
        const notes = [result.note, options.afterRun?.()].filter((note) => note !== undefined);
        print(
          `  ${scenario.id.padEnd(width)}  ${result.records.toLocaleString('en-US').padStart(7)} ${(scenario.unit ?? 'records/s').replace('/s', '')} in ${(result.ms / 1_000).toFixed(2).padStart(6)} s = ${formatRate(perSecond).padStart(7)} ${scenario.unit ?? 'records/s'}${notes.length === 0 ? '' : `  (${notes.join('; ')})`}`,
        );
      }
    }
  }
  return scenarios.map((scenario) => {
    const measured = rates.get(scenario.id) ?? [];
    return {
      scenario,
      records: records.get(scenario.id) ?? 0,
      rates: measured,
      summary: summarize(measured),
      extra: medianOfEach(extras.get(scenario.id) ?? []),
    };
  });
}

/** The median of each named figure over the runs that reported it. */
export function medianOfEach(
  runs: readonly Readonly<Record<string, number>>[],
): Record<string, number> {
  const names = new Set(runs.flatMap((run) => Object.keys(run)));
  const result: Record<string, number> = {};
  for (const name of names) {
    const values = runs.map((run) => run[name]).filter((value) => value !== undefined);
    result[name] = summarize(values).median;
  }
  return result;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '∞';
  return Math.round(perSecond).toLocaleString('en-US');
}
