import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { defaultStreamwiseSpec } from './package-version';
import { runCli } from './run-cli';

describe('streamwise new project', () => {
  let root: string;
  let lines: string[];
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      env: {},
      version: 'test',
    });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'streamwise-project-'));
    lines = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes a project that depends on the given streamwise spec', async () => {
    const dir = join(root, 'my-services');
    expect(await run('new', 'project', dir, '--streamwise-spec', 'file:/tmp/sw.tgz')).toBe(0);
    const created = lines
      .filter((l) => l.startsWith('created '))
      .map((l) => l.slice(dir.length + 9));
    expect(created.sort()).toEqual([
      '.gitignore',
      'README.md',
      'jest.config.js',
      'package.json',
      'src/main.ts',
      'src/services.ts',
      'src/services/tasks-service-topics.ts',
      'src/services/tasks-service.spec.ts',
      'src/services/tasks-service.ts',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.name).toBe('my-services');
    expect(pkg.dependencies.streamwise).toBe('file:/tmp/sw.tgz');
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'start', 'test']);
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    expect(tsconfig.compilerOptions).toMatchObject({
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
    });
    expect(readFileSync(join(dir, 'src/services.ts'), 'utf8')).toContain('TasksService,');
    expect(lines.join('\n')).not.toMatch(/\{\{\w+\}\}/);
  });

  it('refuses a non-empty directory and a name npm would refuse, writing nothing', async () => {
    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    expect(await run('new', 'project', full)).toBe(2);
    expect(lines.join('\n')).toContain('is not empty');
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');

    expect(await run('new', 'project', join(root, 'My Services'))).toBe(2);
    expect(lines.join('\n')).toContain('cannot name an npm package');
    expect(await run('new', 'project')).toBe(2);
    expect(lines.join('\n')).toContain('Name the directory to create');
  });

  it('new service inside the project registers the service in src/services.ts', async () => {
    const dir = join(root, 'shop');
    expect(await run('new', 'project', dir)).toBe(0);
    const services = join(dir, 'src/services');
    expect(await run('new', 'service', 'payments-service', '--dir', services)).toBe(0);
    const text = readFileSync(join(dir, 'src/services.ts'), 'utf8');
    expect(text).toContain("import { PaymentsService } from './services/payments-service';");
    expect(text).toContain('export { TasksService, PaymentsService };');
    expect(text).toMatch(
      /services: readonly ServiceClass\[\] = \[\n {2}TasksService,\n {2}PaymentsService,\n\]/,
    );
    expect(lines).toContain(`registered PaymentsService in ${join(dir, 'src/services.ts')}`);
  });

  it('says so when it cannot register a new service', async () => {
    const src = join(root, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'services.ts'), 'export const all = [];\n');
    expect(await run('new', 'service', 'payments-service', '--dir', join(src, 'services'))).toBe(0);
    expect(lines.join('\n')).toContain(
      'could not register PaymentsService in ' +
        `${join(src, 'services.ts')}: it has no \`export const services = [ ... ]\` list`,
    );
    expect(readFileSync(join(src, 'services.ts'), 'utf8')).toBe('export const all = [];\n');

    lines = [];
    expect(await run('new', 'service', 'billing-service', '--dir', join(root, 'elsewhere'))).toBe(
      0,
    );
    expect(lines.join('\n')).toContain('add BillingService to the services your app runs');
  });
});

describe('the default --streamwise-spec', () => {
  it('is the version when npm installed the CLI, and the folder of a clone otherwise', () => {
    const installed = join('/', 'app', 'node_modules', 'streamwise');
    expect(defaultStreamwiseSpec({ root: installed, version: '1.2.3' })).toBe('1.2.3');
    const clone = join('/', 'home', 'me', 'streamwise');
    expect(defaultStreamwiseSpec({ root: clone, version: '0.1.0' })).toBe(`file:${clone}`);
    expect(defaultStreamwiseSpec(undefined)).toBeUndefined();
  });

  it('links this clone when the CLI runs from it, and says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'streamwise-default-spec-'));
    const lines: string[] = [];
    try {
      const dir = join(root, 'linked');
      const code = await runCli(['new', 'project', dir], {
        io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
        env: {},
        version: 'test',
      });
      expect(code).toBe(0);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      const clone = resolve(__dirname, '../..');
      expect(pkg.dependencies.streamwise).toBe(`file:${clone}`);
      expect(lines).toContain(
        `streamwise comes from this clone (file:${clone}), linked by npm install: keep the clone built (npm run build), or pass --streamwise-spec <version|tarball|git URL>.`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
