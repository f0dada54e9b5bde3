import { percentile } from './stats';

describe('percentile', () => {
  it('takes the nearest rank, so a p99 of 100 values is their 99th smallest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
  });

  it('keeps fractions of a millisecond that whole-millisecond buckets would round away', () => {
    expect(percentile([1.2, 1.4, 2.6, 6.9], 75)).toBe(2.6);
    expect(percentile([0.31], 99)).toBe(0.31);
  });

  it('refuses no values and a p outside (0, 100]', () => {
    expect(() => percentile([], 99)).toThrow('at least one value');
    expect(() => percentile([1], 0)).toThrow('0 < p <= 100');
    expect(() => percentile([1], 101)).toThrow('0 < p <= 100');
  });
});
