import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}
interface LintResult {
  readonly filePath: string;
  readonly messages: readonly LintMessage[];
}

// Runs the real ESLint with the project's layering rules (eslint.layers.mjs) over a tree that breaks
// them on purpose, so a change that disarms the rules fails here.
function lintFixture(): LintResult[] {
  const root = join(__dirname, '..', 'fixtures', 'layering');
  const eslint = join(__dirname, '..', '..', 'node_modules', '.bin', 'eslint');
  const run = spawnSync(eslint, ['--format', 'json', 'src'], { cwd: root, encoding: 'utf8' });
  if (run.stdout === '') throw new Error(`eslint printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintResult[];
}

const rulesOf = (results: LintResult[], file: string): (string | null)[] =>
  results.find((r) => r.filePath.endsWith(file))?.messages.map((m) => m.ruleId) ?? [];

describe('the layering lint', () => {
  let results: LintResult[];
  beforeAll(() => {
    results = lintFixture();
  }, 60_000);

  it('refuses an import from a lower layer to a higher one, naming the layers', () => {
    const messages = results.find((r) => r.filePath.endsWith('climbs-to-app.ts'))?.messages ?? [];
    expect(messages.map((m) => m.ruleId)).toContain('import-x/no-restricted-paths');
    expect(messages[0]?.message).toContain('src/model sits below');
  });

  it('refuses an import cycle', () => {
    expect(rulesOf(results, 'ping.ts')).toContain('import-x/no-cycle');
    expect(rulesOf(results, 'pong.ts')).toContain('import-x/no-cycle');
  });

  it('accepts imports that run downward', () => {
    expect(rulesOf(results, 'allowed.ts')).toEqual([]);
    expect(rulesOf(results, 'start-app.ts')).toEqual([]);
  });
});
