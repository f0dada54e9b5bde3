import { stuckWorker } from '../../test/support/stuck-worker';
import { waitFor } from '../../test/support/wait-for';
import { StopTimeoutError } from '../errors/stop-timeout-error';
import { TestBed } from './test-bed';

describe('TestBed.stop() with a handler that never settles', () => {
  it("rejects with StopTimeoutError naming the service before Jest's default 5 s timeout", async () => {
    // A handler waiting on something the test never gives it: a common mistake in a unit test.
    const worker = stuckWorker('bed-stuck-worker');
    const bed = await TestBed.start([worker.service]);
    try {
      await bed.send(worker.jobs, { id: 'job-1' });
      await waitFor(() => worker.handling() === 1, 'the handler to start');
      const started = Date.now();
      const error = await bed.stop().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(StopTimeoutError.is(error)).toBe(true);
      expect((error as StopTimeoutError).pending).toEqual([
        'service "bed-stuck-worker": finishing its records in flight, committing and leaving its group',
      ]);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      worker.release();
      await bed.stop();
    }
  });
});
