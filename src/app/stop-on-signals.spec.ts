import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { waitFor } from '../../test/support/wait-for';
import { SystemClock } from '../clock/system-clock';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { StreamService } from '../runtime/stream-service';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const Ticks = defineTopic<{ id: string }>({ name: 'ticks', entity: 'Tick', key: (t) => t.id });

@Service('tick-counter')
class TickCounter extends StreamService {
  @EventHandler(Ticks)
  async count(_tick: { id: string }): Promise<void> {}
}

/** A fixture app in a process of its own, and what it writes; stop() kills what is left of it. */
function runFixture(
  file: string,
  env: Record<string, string> = {},
): {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
  /** The exit, or 'still running' when the process has not exited within `ms` (a bound, not a wait). */
  exitWithin: (ms: number) => Promise<Exit | 'still running'>;
  kill: (signal: NodeJS.Signals) => void;
  stop: () => Promise<Exit>;
} {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(__dirname, '../../test/fixtures', file)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    exitWithin: async (ms) => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'still running'>((resolve) => {
        timer = setTimeout(() => resolve('still running'), ms);
      });
      try {
        return await Promise.race([exited, bound]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill: (signal) => child.kill(signal),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

describe('SIGTERM while the app starts (handleSignals: true)', () => {
  it('stops the app gracefully and exits 0, instead of the signal killing the process mid-restore', async () => {
    const app = runFixture('catching-up-app.ts');
    try {
      await waitFor(() => app.stderr().includes('"restore started"'), 'the view to catch up', {
        timeoutMs: 30_000,
      });
      app.kill('SIGTERM');
      const exit = await app.exited;

      expect({ exit, stdout: app.stdout() }).toEqual({
        exit: { code: 0, signal: null },
        stdout: '',
      });
      expect(app.stderr()).toContain('signal received; stopping gracefully');
    } finally {
      await app.stop();
    }
  }, 60_000);

  it('removes its handlers when start() fails, so a retried start does not install a second pair', async () => {
    const before = process.listenerCount('SIGTERM');
    const transport = new (class extends MemoryTransport {
      override connect(): Promise<void> {
        return Promise.reject(new Error('broker down'));
      }
    })({ clock: new SystemClock() });
    const app = StreamwiseApp.create({
      services: [TickCounter],
      transport,
      http: false,
      handleSignals: true,
    });
    const failed = expect(app.start()).rejects.toThrow('broker down');
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    await failed;
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});

describe('SIGTERM while a handler never settles (handleSignals: true)', () => {
  it('exits 1 after signalStopTimeoutMs, saying why, instead of waiting for the handler forever', async () => {
    const app = runFixture('stuck-handler-app.ts', { STOP_TIMEOUT_MS: '300' });
    try {
      await waitFor(() => app.stderr().includes('handling'), 'the handler to run', {
        timeoutMs: 30_000,
      });
      app.kill('SIGTERM');
      const exit = await app.exitWithin(15_000);

      expect(exit).toEqual({ code: 1, signal: null });
      expect(app.stderr()).toContain('graceful stop did not finish within 300 ms');
      expect(app.stderr()).toContain(
        'still waiting for service \\"stuck-counter\\": finishing its records in flight',
      );
    } finally {
      await app.stop();
    }
  }, 60_000);
});
