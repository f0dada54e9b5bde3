import { formatRate, type Measurement } from './measure';
import { baselineRatio, byScenarioId } from './ratio';

/** The final table: one row per scenario, the ratio against its baseline's median. */
export function resultTable(measurements: readonly Measurement[]): string {
  const byId = byScenarioId(measurements);
  const header = ['scenario', 'count/run', 'median', 'min – max', 'unit', 'ratio vs baseline'];
  const rows = measurements.map((m) => [
    m.scenario.id,
    m.records.toLocaleString('en-US'),
    formatRate(m.summary.median),
    `${formatRate(m.summary.min)} – ${formatRate(m.summary.max)}`,
    m.scenario.unit ?? 'records/s',
    ratioCell(m, byId),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 || column === 4 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join(' | ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
    ...sameWorkLines(measurements, byId),
    ...extraLines(measurements),
  ].join('\n');
}

function ratioCell(measurement: Measurement, byId: ReadonlyMap<string, Measurement>): string {
  const { scenario } = measurement;
  if (scenario.reference === true) return 'reference';
  if (scenario.baseline === undefined) return '1.00 (baseline)';
  const value = baselineRatio(measurement, byId);
  if (value === null) return `n/a (${scenario.baseline} not run)`;
  const against = ` vs ${scenario.baseline}`;
  if (value >= 1) return `${value.toPrecision(3)}${against}`;
  const slower = 1 / value;
  const factor = slower >= 100 ? Math.round(slower).toLocaleString('en-US') : slower.toPrecision(3);
  return `${value.toPrecision(3)} (1/${factor})${against}`;
}

/** Each scenario's share of its same-work diagnostic's median, when both ran. */
function sameWorkLines(
  measurements: readonly Measurement[],
  byId: ReadonlyMap<string, Measurement>,
): string[] {
  const lines: string[] = [];
  for (const { scenario, summary } of measurements) {
    const diagnostic = scenario.sameWork === undefined ? undefined : byId.get(scenario.sameWork);
    if (diagnostic === undefined || diagnostic.rates.length === 0) continue;
    const share = (100 * summary.median) / diagnostic.summary.median;
    lines.push(
      `  ${scenario.id}: ${share.toFixed(1)} % of ${diagnostic.scenario.id} (${formatRate(summary.median)} against ${formatRate(diagnostic.summary.median)} ${scenario.unit ?? 'records/s'})`,
    );
  }
  return section(
    "share of the same-work diagnostic (a raw client doing part of the scenario's work, same rounds):",
    lines,
  );
}

/** The scenarios' further figures (medians over the runs), one line per scenario that has any. */
function extraLines(measurements: readonly Measurement[]): string[] {
  const lines = measurements
    .filter((m) => Object.keys(m.extra).length > 0)
    .map(
      (m) =>
        `  ${m.scenario.id}: ${Object.entries(m.extra)
          .map(([name, value]) => `${name} ${Number(value.toPrecision(3))}`)
          .join(', ')}`,
    );
  return section('further figures (medians over the measured runs):', lines);
}

/** A titled block below the table, or nothing when it has no lines. */
function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', title, ...lines];
}
