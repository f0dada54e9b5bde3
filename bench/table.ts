import { formatRate, type Measurement } from './measure';

/** The final table: one row per scenario, the ratio against its baseline's median. */
export function resultTable(measurements: readonly Measurement[]): string {
  const byId = new Map(measurements.map((m) => [m.scenario.id, m]));
  const header = ['scenario', 'records/run', 'records/s (median)', 'min – max', 'ratio vs kafkajs'];
  const rows = measurements.map((m) => [
    m.scenario.id,
    m.records.toLocaleString('en-US'),
    formatRate(m.summary.median),
    `${formatRate(m.summary.min)} – ${formatRate(m.summary.max)}`,
    ratio(m, byId),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join(' | ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

function ratio(measurement: Measurement, byId: ReadonlyMap<string, Measurement>): string {
  const { scenario, summary } = measurement;
  if (scenario.reference === true) return 'reference';
  if (scenario.baseline === undefined) return '1.00 (baseline)';
  const baseline = byId.get(scenario.baseline);
  if (baseline === undefined) return `n/a (${scenario.baseline} not run)`;
  const value = summary.median / baseline.summary.median;
  if (value >= 1) return value.toPrecision(3);
  const slower = 1 / value;
  const factor = slower >= 100 ? Math.round(slower).toLocaleString('en-US') : slower.toPrecision(3);
  return `${value.toPrecision(3)} (1/${factor})`;
}
