import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TimedProfiles } from './timed-profiles';

describe('TimedProfiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sw-timed-profiles-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one CPU profile per timed part, named after the run', async () => {
    const profiles = new TimedProfiles(dir);
    for (const name of ['first', 'second']) {
      await profiles.start();
      let sum = 0;
      for (let i = 0; i < 200_000; i++) sum += Math.sqrt(i);
      expect(sum).toBeGreaterThan(0);
      await profiles.stop(name);
    }
    profiles.close();
    expect((await readdir(dir)).sort()).toEqual(['first.cpuprofile', 'second.cpuprofile']);
    const profile = JSON.parse(await readFile(join(dir, 'first.cpuprofile'), 'utf8')) as {
      nodes: unknown[];
      samples: unknown[];
    };
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(Array.isArray(profile.samples)).toBe(true);
  });

  it('starts afresh when the run before it threw before its stop: its work is not in the next profile', async () => {
    const profiles = new TimedProfiles(dir);
    await profiles.start();
    abandonedRunWork(400);
    await profiles.start();
    nextRunWork(50);
    await profiles.stop('after-a-failed-run');
    profiles.close();
    expect(await readdir(dir)).toEqual(['after-a-failed-run.cpuprofile']);
    const profile = JSON.parse(
      await readFile(join(dir, 'after-a-failed-run.cpuprofile'), 'utf8'),
    ) as { nodes: { callFrame: { functionName: string } }[] };
    const functions = new Set(profile.nodes.map((node) => node.callFrame.functionName));
    // Sampled every 200 µs, 400 ms of it leave it in any profile that covers them.
    expect(functions.has('abandonedRunWork')).toBe(false);
  });

  it('does nothing without a directory', async () => {
    const profiles = new TimedProfiles(undefined);
    await profiles.start();
    await profiles.stop('run');
    expect(await readdir(dir)).toEqual([]);
  });
});

/** The work of a run that threw before its stop: the thread busy for `ms`. */
function abandonedRunWork(ms: number): void {
  busy(ms);
}

/** The next run's work. */
function nextRunWork(ms: number): void {
  busy(ms);
}

/** Keeps the thread busy for `ms`, so the profile has that much sampled time in it. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  let sum = 0;
  while (Date.now() < until) sum += Math.sqrt(sum + 1);
  expect(sum).toBeGreaterThan(0);
}
