import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import ts from 'typescript';

import { runCli } from './run-cli';

describe('streamwise new service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamwise-new-'));
  const lines: string[] = [];
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      env: {},
      version: 'test',
    });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a service, its topics and a spec that type-check, and the service works', async () => {
    // The package root: '<pkg>' and '<pkg>/testing' resolve as 'streamwise' and 'streamwise/testing'.
    const pkg = resolve(__dirname, '..');
    expect(await run('new', 'service', 'payments-service', '--dir', dir, '--package', pkg)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'payments-service-topics.ts',
      'payments-service.spec.ts',
      'payments-service.ts',
    ]);
    const service = readFileSync(join(dir, 'payments-service.ts'), 'utf8');
    expect(service).toContain("@Service('payments-service')");
    expect(service).toContain('export class PaymentsService extends StreamService');
    expect(readFileSync(join(dir, 'payments-service-topics.ts'), 'utf8')).toContain(
      "name: 'payments-requests'",
    );

    const options = ts.parseJsonConfigFileContent(
      ts.readConfigFile(resolve(__dirname, '../../tsconfig.json'), (p) => ts.sys.readFile(p))
        .config as object,
      ts.sys,
      resolve(__dirname, '../..'),
    ).options;
    const program = ts.createProgram(
      readdirSync(dir).map((f) => join(dir, f)),
      { ...options, noEmit: true, rootDir: undefined },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);

    // The generated service really works on TestBed.
    const { PaymentsService } = (await import(join(dir, 'payments-service.ts'))) as {
      PaymentsService: new () => object;
    };
    const { PaymentsRequests, PaymentsDecisions } = (await import(
      join(dir, 'payments-service-topics.ts')
    )) as Record<string, never>;
    const { TestBed } = await import('../testing/test-bed');
    const bed = await TestBed.start([PaymentsService as never]);
    try {
      await bed.send(PaymentsRequests, { id: 'p', amount: 5 } as never);
      await bed.drain();
      expect(bed.topic(PaymentsDecisions).values()).toEqual([{ id: 'p', accepted: true }]);
    } finally {
      await bed.stop();
    }
    // Type-checking the generated files is a whole TypeScript program: seconds alone, more on a busy
    // two-core machine.
  }, 120_000);

  it('refuses bad names and never overwrites', async () => {
    expect(await run('new', 'service', 'Payments', '--dir', dir)).toBe(2);
    expect(await run('new', 'service', 'payments-service', '--dir', dir)).toBe(2);
    expect(lines.join('\n')).toContain('Not overwriting');
  });
});
