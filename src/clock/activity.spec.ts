import { currentActivity, runInActivity, runningActivities } from './activity';

const activity = { park: () => undefined, unpark: () => undefined };

describe('runInActivity', () => {
  it('gives work its activity across awaits, and counts the activity only while it runs', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: unknown[] = [];
    const done = runInActivity(activity, async () => {
      await gate;
      seen.push(currentActivity());
    });
    expect(runningActivities()).toBe(1);
    release();
    await done;
    expect(seen).toEqual([activity]);
    expect(runningActivities()).toBe(0);
    expect(currentActivity()).toBeUndefined();
  });

  it('stops counting work that throws or rejects, and runs again afterwards', async () => {
    expect(() =>
      runInActivity(activity, () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(runInActivity(activity, () => Promise.reject(new Error('async')))).rejects.toThrow(
      'async',
    );
    expect(runningActivities()).toBe(0);
    await expect(runInActivity(activity, () => Promise.resolve(currentActivity()))).resolves.toBe(
      activity,
    );
  });
});
