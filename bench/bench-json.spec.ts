import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { benchJson, writeBenchJson } from './bench-json';
import type { Measurement, Scenario } from './measure';
import { summarize } from './stats';

function measured(
  scenario: Omit<Scenario, 'label' | 'runOnce'>,
  rates: number[],
  extra: Record<string, number> = {},
): Measurement {
  return {
    scenario: {
      label: scenario.id,
      runOnce: () => Promise.reject(new Error('not run')),
      ...scenario,
    },
    records: 1_000,
    rates,
    summary: summarize(rates),
    extra,
  };
}

describe('the BENCH_JSON summary', () => {
  it('gives every scenario its id, median, unit, baseline and median / baseline median', () => {
    const json = benchJson([
      measured({ id: 'relay-kafkajs' }, [100, 300, 200]),
      measured({ id: 'relay-at-least-once', baseline: 'relay-kafkajs' }, [50, 40, 60]),
      measured({ id: 'query-local', unit: 'req/s' }, [10, 30, 20], { p50Ms: 2, p99Ms: 8 }),
    ]);

    expect(json.scenarios).toEqual([
      {
        id: 'relay-kafkajs',
        median: 200,
        unit: 'records/s',
        ratio: null,
        baseline: null,
        min: 100,
        max: 300,
        runs: 3,
      },
      {
        id: 'relay-at-least-once',
        median: 50,
        unit: 'records/s',
        ratio: 0.25,
        baseline: 'relay-kafkajs',
        min: 40,
        max: 60,
        runs: 3,
      },
      {
        id: 'query-local',
        median: 20,
        unit: 'req/s',
        ratio: null,
        baseline: null,
        min: 10,
        max: 30,
        runs: 3,
        p50Ms: 2,
        p99Ms: 8,
      },
    ]);
  });

  it('keeps the baseline id but gives no ratio when the baseline was not run', () => {
    const [only] = benchJson([
      measured({ id: 'publish-concurrent', baseline: 'produce-kafkajs' }, [10]),
    ]).scenarios;

    expect(only).toMatchObject({ baseline: 'produce-kafkajs', ratio: null });
  });

  it('gives a reference scenario neither baseline nor ratio', () => {
    const [reference] = benchJson([
      measured({ id: 'relay-kafkajs' }, [100]),
      measured({ id: 'relay-memory', reference: true, baseline: 'relay-kafkajs' }, [50]),
    ]).scenarios.slice(1);

    expect(reference).toMatchObject({ baseline: null, ratio: null });
  });

  it('does not let an extra figure overwrite the standard fields', () => {
    const [scenario] = benchJson([
      measured({ id: 'odd' }, [5], { median: 99, p99Ms: 3 }),
    ]).scenarios;

    expect(scenario).toMatchObject({ median: 5, p99Ms: 3 });
  });

  it('writes the summary as JSON to the named file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-json-'));
    try {
      const file = join(dir, 'bench.json');
      await writeBenchJson(file, [measured({ id: 'produce-kafkajs' }, [7, 9])]);

      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      expect(parsed).toEqual({
        scenarios: [
          {
            id: 'produce-kafkajs',
            median: 8,
            unit: 'records/s',
            ratio: null,
            baseline: null,
            min: 7,
            max: 9,
            runs: 2,
          },
        ],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
