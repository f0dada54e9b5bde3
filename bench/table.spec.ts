import type { Measurement, Scenario } from './measure';
import { summarize } from './stats';
import { resultTable } from './table';

function measured(scenario: Omit<Scenario, 'label' | 'runOnce'>, rates: number[]): Measurement {
  return {
    scenario: {
      ...scenario,
      label: scenario.id,
      runOnce: () => Promise.reject(new Error('unused')),
    },
    records: 100,
    rates,
    summary: summarize(rates),
    extra: {},
  };
}

describe('resultTable', () => {
  it("says what share of its same-work diagnostic's median a scenario reached", () => {
    const table = resultTable([
      measured({ id: 'raw' }, [100, 100, 100]),
      measured({ id: 'raw-envelope', baseline: 'raw' }, [80, 80, 80]),
      measured({ id: 'framework', baseline: 'raw', sameWork: 'raw-envelope' }, [60, 70, 62]),
    ]);

    expect(table).toContain('share of the same-work diagnostic');
    expect(table).toContain('  framework: 77.5 % of raw-envelope (62 against 80 records/s)');
  });

  it('leaves the share out when BENCH_ONLY left the diagnostic out', () => {
    const table = resultTable([
      measured({ id: 'raw' }, [100]),
      measured({ id: 'framework', baseline: 'raw', sameWork: 'raw-envelope' }, [60]),
    ]);

    expect(table).not.toContain('same-work');
    expect(table).not.toContain('% of raw-envelope');
  });
});
