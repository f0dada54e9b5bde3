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

  it('does nothing without a directory', async () => {
    const profiles = new TimedProfiles(undefined);
    await profiles.start();
    await profiles.stop('run');
    expect(await readdir(dir)).toEqual([]);
  });
});
