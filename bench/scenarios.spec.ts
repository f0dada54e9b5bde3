import { readConfig } from './config';
import { createBenchContext } from './context';
import type { Scenario } from './measure';
import { allScenarios, danglingReferences } from './scenarios';

const scenario = (id: string, more: Partial<Scenario> = {}): Scenario => ({
  id,
  label: id,
  runOnce: () => Promise.reject(new Error('not run here')),
  ...more,
});

describe('danglingReferences', () => {
  it('names each baseline or same-work diagnostic that is no scenario', () => {
    expect(
      danglingReferences([
        scenario('raw'),
        scenario('framework', { baseline: 'raw', sameWork: 'raw-envelop' }),
        scenario('other', { baseline: 'rwa' }),
      ]),
    ).toEqual([
      'framework: sameWork names "raw-envelop", which is no scenario',
      'other: baseline names "rwa", which is no scenario',
    ]);
  });

  it('finds none among the scenarios npm run bench runs', () => {
    const scenarios = allScenarios(createBenchContext(readConfig({}), 'bench-spec-'));

    expect(scenarios.length).toBeGreaterThan(20);
    expect(danglingReferences(scenarios)).toEqual([]);
  });
});
