import { ActivityCounter } from './activity-counter';
import { redeliveryDelayMs } from './redelivery-backoff';

describe('ActivityCounter', () => {
  it('resolves whenIdle at once when idle, and after the last leave otherwise', async () => {
    const counter = new ActivityCounter();
    await counter.whenIdle();
    counter.enter();
    counter.enter();
    let idle = false;
    const waiting = counter.whenIdle().then(() => {
      idle = true;
    });
    counter.leave();
    await Promise.resolve();
    expect(idle).toBe(false);
    counter.leave();
    await waiting;
    expect(idle).toBe(true);
    expect(counter.count).toBe(0);
  });
});

describe('redeliveryDelayMs', () => {
  it('doubles from the initial wait and stops at the cap', () => {
    const backoff = { initialMs: 100, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => redeliveryDelayMs(attempt, backoff))).toEqual(
      [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000],
    );
  });
});
