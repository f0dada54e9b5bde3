import { DEFAULT_REDELIVERY_BACKOFF, redeliveryDelayMs } from './redelivery-backoff';

describe('redeliveryDelayMs', () => {
  it('doubles from the initial wait and stops at the cap', () => {
    const backoff = { initialMs: 100, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => redeliveryDelayMs(attempt, backoff))).toEqual(
      [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000],
    );
  });

  it('defaults to 100 ms doubling, capped at 5 s, even after very many attempts', () => {
    expect(DEFAULT_REDELIVERY_BACKOFF).toEqual({ initialMs: 100, maxMs: 5_000 });
    expect([0, 1, 2, 6, 7, 10_000].map((attempt) => redeliveryDelayMs(attempt))).toEqual([
      100, 100, 200, 3_200, 5_000, 5_000,
    ]);
  });
});
