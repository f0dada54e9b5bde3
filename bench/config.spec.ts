import { readConfig } from './config';

describe('readConfig', () => {
  it('runs the exactly-once relay on as many records as the others unless BENCH_EOS_RECORDS says otherwise', () => {
    expect(readConfig({}).exactlyOnceRecords).toBe(100_000);
    expect(readConfig({ BENCH_RECORDS: '500' }).exactlyOnceRecords).toBe(500);
    expect(
      readConfig({ BENCH_RECORDS: '50000', BENCH_EOS_RECORDS: '30000' }).exactlyOnceRecords,
    ).toBe(30_000);
  });

  it('runs @platformatic/kafka with the classic group protocol unless BENCH_GROUP_PROTOCOL says consumer', () => {
    expect(readConfig({}).groupProtocol).toBe('classic');
    expect(readConfig({ BENCH_GROUP_PROTOCOL: 'consumer' }).groupProtocol).toBe('consumer');
    expect(() => readConfig({ BENCH_GROUP_PROTOCOL: 'eager' })).toThrow(/BENCH_GROUP_PROTOCOL/);
  });

  it('reaches the broker directly unless BENCH_LINK_DELAY_MS asks for a delaying link', () => {
    expect(readConfig({}).linkDelayMs).toBe(0);
    expect(readConfig({ BENCH_LINK_DELAY_MS: '2' }).linkDelayMs).toBe(2);
    expect(() => readConfig({ BENCH_LINK_DELAY_MS: '-1' })).toThrow(/BENCH_LINK_DELAY_MS/);
  });

  it('writes JSON only when BENCH_JSON names a file', () => {
    expect(readConfig({}).jsonFile).toBeUndefined();
    expect(readConfig({ BENCH_JSON: ' ' }).jsonFile).toBeUndefined();
    expect(readConfig({ BENCH_JSON: '/tmp/bench.json' }).jsonFile).toBe('/tmp/bench.json');
  });
});
