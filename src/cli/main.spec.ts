import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Runs the CLI's entry point with its stdout closed before it writes: `streamwise ... | head`. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(__dirname, 'main.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the streamwise command', () => {
  it('stops quietly when whatever reads its output goes away (EPIPE), as Unix tools do', async () => {
    const { code, stderr } = await runWithClosedStdout(['--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
