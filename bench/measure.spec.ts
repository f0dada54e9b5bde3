import { measureAll, medianOfEach, type Scenario } from './measure';

describe('measureAll', () => {
  it('interleaves rounds and summarises each extra figure by its median over the measured runs', async () => {
    const order: string[] = [];
    // The warm-up's 100 ms must not count: the median of the measured 3, 9 and 5 is 5.
    const latencies = [100, 3, 9, 5];
    let bRuns = 0;
    const scenario = (id: string): Scenario => ({
      id,
      label: id,
      unit: 'req/s',
      runOnce: (run) => {
        order.push(`${id}@${run}`);
        return Promise.resolve({
          records: 10,
          ms: 1_000,
          extra: id === 'b' ? { p99Ms: latencies[bRuns++] } : undefined,
        });
      },
    });

    const [a, b] = await measureAll([scenario('a'), scenario('b')], {
      warmups: 1,
      runs: 3,
      print: () => undefined,
    });

    expect(order).toEqual(['a@w1', 'b@w1', 'b@r1', 'a@r1', 'a@r2', 'b@r2', 'b@r3', 'a@r3']);
    expect(a.extra).toEqual({});
    expect(a.summary.median).toBe(10);
    expect(b.extra).toEqual({ p99Ms: 5 });
  });
  it('runs the rounds of scenarios that leave process-wide state behind after every other scenario', async () => {
    const order: string[] = [];
    const scenario = (id: string, runsLast?: boolean): Scenario => ({
      id,
      label: id,
      runsLast,
      runOnce: (run) => {
        order.push(`${id}@${run}`);
        return Promise.resolve({ records: 10, ms: 1_000 });
      },
    });

    await measureAll([scenario('a'), scenario('traced', true), scenario('b')], {
      warmups: 1,
      runs: 2,
      print: () => undefined,
    });

    expect(order).toEqual([
      'a@w1',
      'b@w1',
      'b@r1',
      'a@r1',
      'a@r2',
      'b@r2',
      'traced@w1',
      'traced@r1',
      'traced@r2',
    ]);
  });
});

describe('medianOfEach', () => {
  it('takes each figure over the runs that reported it', () => {
    expect(medianOfEach([{ p50: 1, p99: 10 }, { p50: 3 }, { p50: 2, p99: 20 }])).toEqual({
      p50: 2,
      p99: 15,
    });
  });
});
