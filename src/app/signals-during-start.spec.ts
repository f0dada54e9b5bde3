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

describe('SIGTERM while the app starts (handleSignals: true)', () => {
  it('stops the app gracefully and exits 0, instead of the signal killing the process mid-restore', async () => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, '../../test/fixtures/catching-up-app.ts')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<Exit>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitFor(() => stderr.includes('"restore started"'), 'the view to start catching up', {
        timeoutMs: 30_000,
      });
      child.kill('SIGTERM');
      const exit = await exited;

      expect({ exit, stdout }).toEqual({ exit: { code: 0, signal: null }, stdout: '' });
      expect(stderr).toContain('signal received; stopping gracefully');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
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
