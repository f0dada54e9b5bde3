import { HeldTransport } from '../../test/support/held-transport';
import { stuckWorker } from '../../test/support/stuck-worker';
import { waitFor } from '../../test/support/wait-for';
import { SystemClock } from '../clock/system-clock';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { StopTimeoutError } from '../errors/stop-timeout-error';
import { StreamService } from '../runtime/stream-service';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

const worker = stuckWorker('stuck-worker');
const Jobs = worker.jobs;

@Service('job-source')
@OwnsTopic(Jobs)
class JobSource extends StreamService {
  send(id: string): Promise<unknown> {
    return this.publish(Jobs, { id });
  }
}

describe('a stop that does not finish in time', () => {
  it('rejects with StopTimeoutError naming the step it waits for, and a later stop() still ends it', async () => {
    const transport = new HeldTransport({ clock: new SystemClock() });
    transport.joins.resolve();
    const app = StreamwiseApp.create({
      services: [JobSource, worker.service],
      transport,
      http: false,
      stopTimeoutMs: 100,
    });
    try {
      await app.start();
      await app.service(JobSource).send('job-1');
      await waitFor(() => worker.handling() === 1, 'the handler to start');

      const error = await app.stop().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StopTimeoutError);
      const timeout = error as StopTimeoutError;
      expect(timeout.pending).toEqual([
        'service "stuck-worker": finishing its records in flight, committing and leaving its group',
      ]);
      expect(timeout.message).toContain('within 100 ms (stopTimeoutMs)');
      expect(timeout.message).toContain('service "stuck-worker": finishing its records in flight');

      // The stop goes on: once the handler settles it reaches the transport's disconnect.
      worker.release();
      const second = await app.stop().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((second as StopTimeoutError).pending).toEqual(['the transport disconnecting']);
    } finally {
      worker.release();
      transport.disconnects.resolve();
      await app.stop();
    }
  });

  it('resolves as before when the stop finishes in time', async () => {
    const app = StreamwiseApp.create({
      services: [JobSource],
      transport: new MemoryTransport({ clock: new SystemClock() }),
      http: false,
      stopTimeoutMs: 100,
    });
    await app.start();
    await expect(app.stop()).resolves.toBeUndefined();
  });
});
