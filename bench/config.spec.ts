import { readConfig } from './config';

describe('readConfig', () => {
  it('caps the exactly-once relay at 2,000 records by default, and at the relay count below that', () => {
    expect(readConfig({}).exactlyOnceRecords).toBe(2_000);
    expect(readConfig({ BENCH_RECORDS: '500' }).exactlyOnceRecords).toBe(500);
    expect(
      readConfig({ BENCH_RECORDS: '50000', BENCH_EOS_RECORDS: '30000' }).exactlyOnceRecords,
    ).toBe(30_000);
  });

  it('writes JSON only when BENCH_JSON names a file', () => {
    expect(readConfig({}).jsonFile).toBeUndefined();
    expect(readConfig({ BENCH_JSON: ' ' }).jsonFile).toBeUndefined();
    expect(readConfig({ BENCH_JSON: '/tmp/bench.json' }).jsonFile).toBe('/tmp/bench.json');
  });
});
