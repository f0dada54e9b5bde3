import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { waitFor } from '../support/wait-for';

const REPO = resolve(__dirname, '../..');
// npm install fetches jest, ts-jest and TypeScript from the registry, and every step here is a
// whole npm or tsc run: minutes on a busy two-core machine, whatever the code does.
const NPM_STEP_MS = 10 * 60_000;

/**
 * The way a user starts: pack streamwise as npm would publish it, generate a project that depends
 * on the tarball, and in it install, test, build and run the app on the in-memory broker.
 */
describe('streamwise new project, installed from the packed package', () => {
  const root = mkdtempSync(join(tmpdir(), 'streamwise-e2e-'));
  const project = join(root, 'my-services');
  // The test tiers' own variables must not leak into the generated project: with KAFKA_BROKERS
  // set (test:all sets it) its main.ts would run on Kafka, and npm_* would steer the nested npm.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('npm_') &&
        !['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'STREAMWISE_TIERS', 'PORT'].includes(name),
    ),
  );
  let app: ChildProcess | undefined;

  afterAll(async () => {
    if (app !== undefined && app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((done) => app?.once('exit', done));
      app.kill('SIGKILL');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  });

  it(
    'packs streamwise and generates a project that depends on the tarball',
    async () => {
      // npm pack runs `prepare` (the build), so the tarball holds dist/ as it would be published.
      await run('npm', ['pack', '--pack-destination', root], REPO);
      const [tarball] = readdirSync(root).filter((f) => f.endsWith('.tgz'));
      expect(tarball).toMatch(/^streamwise-.*\.tgz$/);
      await run(
        process.execPath,
        [
          join(REPO, 'dist/src/cli/main.js'),
          'new',
          'project',
          project,
          '--streamwise-spec',
          `file:${join(root, tarball)}`,
        ],
        root,
      );
    },
    NPM_STEP_MS,
  );

  it('npm install', () => run('npm', ['install', '--no-audit', '--no-fund'], project), NPM_STEP_MS);

  it(
    'npm test passes the generated TestBed spec',
    async () => {
      const { stdout, stderr } = await run('npm', ['test'], project);
      expect(`${stdout}\n${stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    },
    NPM_STEP_MS,
  );

  it('npm run build', () => run('npm', ['run', 'build'], project), NPM_STEP_MS);

  it(
    "the project's own CLI reads its services (npx streamwise topology dist/services.js)",
    async () => {
      const { stdout } = await run('npx', ['streamwise', 'topology', 'dist/services.js'], project);
      expect(stdout).toContain('tasks-service (TasksService)');
      expect(stdout).toContain('queries:  POST /v1/tasks -> create(), GET /v1/tasks/:id -> task()');
    },
    NPM_STEP_MS,
  );

  it(
    'node dist/main.js serves the @Query routes on the memory transport and exits cleanly on SIGTERM',
    async () => {
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: project,
        env: { ...env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      app = child;
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

      const url = await waitFor(
        () => /running on the in-memory broker.*HTTP at (http:\/\/\S+)/.exec(output)?.[1],
        'the app to say where it serves HTTP',
        { timeoutMs: 60_000 },
      );
      const created = await fetch(`${url}/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 't-1', title: 'ship it' }),
      });
      expect(created.status).toBe(201);
      const task = await waitFor(async () => {
        const response = await fetch(`${url}/v1/tasks/t-1`);
        return response.status === 200 ? await response.json() : undefined;
      }, 'GET /v1/tasks/t-1 to find the task');
      expect(task).toEqual({ id: 't-1', title: 'ship it' });
      const malformed = await fetch(`${url}/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 't-2' }),
      });
      expect(malformed.status).toBe(400);

      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    },
    NPM_STEP_MS,
  );

  function run(
    command: string,
    args: readonly string[],
    cwd: string,
  ): Promise<{ stdout: string; stderr: string }> {
    return promisify(execFile)(command, args, {
      cwd,
      env,
      timeout: NPM_STEP_MS,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(
        `${command} ${args.join(' ')} failed in ${cwd}: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      );
    });
  }
});
