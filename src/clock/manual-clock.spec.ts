import { runInActivity } from './activity';
import { ManualClock } from './manual-clock';

/** Lets promise continuations run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('ManualClock', () => {
  it('starts at 2025-01-01T00:00:00Z by default, or at the given time', () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2025, 0, 1));
    expect(new ManualClock(5_000).now()).toBe(5_000);
  });

  it('moves only when advanced', async () => {
    const clock = new ManualClock(1_000);
    await flush();
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('resolves a sleep only once advance passes its time', async () => {
    const clock = new ManualClock(1_000);
    let woke = false;
    void clock.sleep(100).then(() => {
      woke = true;
    });
    await flush();
    expect(woke).toBe(false);
    clock.advance(99);
    await flush();
    expect(woke).toBe(false);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    await flush();
    expect(woke).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(1_100);
  });

  it('fires timers in time order, ties in registration order', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const sleep = (label: string, ms: number): void => {
      void clock.sleep(ms).then(() => fired.push(label));
    };
    sleep('c@30', 30);
    sleep('a@10', 10);
    sleep('d@30', 30);
    sleep('b@10', 10);
    sleep('e@20', 20);
    clock.advance(100);
    await flush();
    expect(fired).toEqual(['a@10', 'b@10', 'e@20', 'c@30', 'd@30']);
  });

  it('fires only the timers due so far', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    for (const ms of [10, 20, 30]) void clock.sleep(ms).then(() => fired.push(ms));
    clock.advance(20);
    await flush();
    expect(fired).toEqual([10, 20]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(30);
  });

  it('fires zero-delay (and negative-delay) sleeps on advance(0), not before', async () => {
    const clock = new ManualClock(500);
    let fired = 0;
    void clock.sleep(0).then(() => fired++);
    void clock.sleep(-20).then(() => fired++);
    await flush();
    expect(fired).toBe(0);
    expect(clock.nextTimerAt()).toBe(500);
    clock.advance(0);
    await flush();
    expect(fired).toBe(2);
    expect(clock.now()).toBe(500);
  });

  it('reports the earliest pending timer and the number of pending timers', () => {
    const clock = new ManualClock(1_000);
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    void clock.sleep(300);
    void clock.sleep(50);
    void clock.sleep(200);
    expect(clock.pendingTimers).toBe(3);
    expect(clock.nextTimerAt()).toBe(1_050);
    clock.advance(100);
    expect(clock.pendingTimers).toBe(2);
    expect(clock.nextTimerAt()).toBe(1_200);
  });

  it('measures a sleep from the time it was called', async () => {
    const clock = new ManualClock(0);
    clock.advance(1_000);
    let woke = false;
    void clock.sleep(10).then(() => {
      woke = true;
    });
    expect(clock.nextTimerAt()).toBe(1_010);
    clock.advance(9);
    await flush();
    expect(woke).toBe(false);
    clock.advance(1);
    await flush();
    expect(woke).toBe(true);
  });

  it('advanceTo never moves time backwards', () => {
    const clock = new ManualClock(1_000);
    clock.advanceTo(400);
    expect(clock.now()).toBe(1_000);
    clock.advanceTo(1_500);
    expect(clock.now()).toBe(1_500);
  });

  it('advanceTo fires the timers due by the target time', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    for (const ms of [5, 15]) void clock.sleep(ms).then(() => fired.push(ms));
    clock.advanceTo(10);
    await flush();
    expect(fired).toEqual([5]);
    expect(clock.now()).toBe(10);
  });

  it('parks the current activity while it sleeps and unparks it when the timer fires', async () => {
    const clock = new ManualClock(0);
    const events: string[] = [];
    const activity = { park: () => events.push('park'), unpark: () => events.push('unpark') };
    const done = runInActivity(activity, async () => {
      await clock.sleep(10);
      events.push('woke');
    });
    await flush();
    expect(events).toEqual(['park']);
    clock.advance(10);
    await done;
    expect(events).toEqual(['park', 'unpark', 'woke']);
  });
});

describe('ManualClock with bad durations', () => {
  it('fires a NaN or negative sleep at once, without blocking later timers', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    void clock.sleep(Number.NaN).then(() => fired.push('nan'));
    void clock.sleep(-5).then(() => fired.push('negative'));
    void clock.sleep(10).then(() => fired.push('ten'));
    clock.advance(100);
    await flush();
    expect(fired).toEqual(['nan', 'negative', 'ten']);
  });

  it('refuses to move to a time that is not finite', () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
  });
});
