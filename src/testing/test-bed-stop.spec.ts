import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { StopTimeoutError } from '../errors/stop-timeout-error';
import { StreamService } from '../runtime/stream-service';
import { deferred } from '../transport/kafka/deferred';
import { TestBed } from './test-bed';

interface Job {
  id: string;
}

const Jobs = defineTopic<Job>({ name: 'bed-stuck-jobs', entity: 'Job', key: (j) => j.id });

/** A handler waiting on something the test never gives it: a common mistake in a unit test. */
const release = deferred();
let handling = 0;

@Service('bed-stuck-worker')
class StuckWorker extends StreamService {
  @EventHandler(Jobs)
  async work(_job: Job): Promise<void> {
    handling++;
    await release.promise;
  }
}

describe('TestBed.stop() with a handler that never settles', () => {
  it("rejects with StopTimeoutError naming the service before Jest's default 5 s timeout", async () => {
    const bed = await TestBed.start([StuckWorker]);
    try {
      await bed.send(Jobs, { id: 'job-1' });
      await waitFor(() => handling === 1, 'the handler to start');
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
      release.resolve();
      await bed.stop();
    }
  });
});
