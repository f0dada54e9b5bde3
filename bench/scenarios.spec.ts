import { readConfig } from './config';
import { CountingLogger } from './counting-logger';
import { benchKafka } from './kafka-client';
import type { Scenario } from './measure';
import { allScenarios, danglingReferences } from './scenarios';
import { TimedProfiles } from './timed-profiles';

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
    const config = readConfig({});
    const context = {
      config,
      kafka: benchKafka(config.brokers, 'bench-spec'),
      prefix: 'bench-spec-',
      logger: new CountingLogger(),
      profiles: new TimedProfiles(undefined),
    };

    const scenarios = allScenarios(context);

    expect(scenarios.length).toBeGreaterThan(20);
    expect(danglingReferences(scenarios)).toEqual([]);
  });
});
