import { ActivityCounter } from './activity-counter';

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
