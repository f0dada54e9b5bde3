import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { ConfigurationError } from '../errors/configuration-error';
import type { EventContext } from '../model/service/event-context';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import { TestBed } from '../testing/test-bed';
import { StreamService } from './stream-service';

interface Job {
  id: string;
  step: number;
  fail?: 'always' | 'once' | 'fatal';
}
const Jobs = defineTopic<Job>({ name: 'jobs', entity: 'Job', key: (j) => j.id, partitions: 4 });

@Service('job-source')
@OwnsTopic(Jobs)
class JobSource extends StreamService {}

@Service('job-worker', {
  retry: { attempts: 4, initialDelayMs: 1_000, multiplier: 3, maxDelayMs: 5_000 },
})
class JobWorker extends StreamService {
  readonly log: string[] = [];
  readonly failedOnce = new Set<string>();

  @EventHandler(Jobs)
  work(job: Job, ctx: EventContext): void {
    this.log.push(`${job.id}/${job.step}@${ctx.attempt}`);
    if (job.fail === 'always') throw new Error(`job ${job.id} step ${job.step} is broken`);
    if (job.fail === 'fatal') throw new ConfigurationError('cannot ever work');
    if (job.fail === 'once' && !this.failedOnce.has(`${job.id}/${job.step}`)) {
      this.failedOnce.add(`${job.id}/${job.step}`);
      throw new Error('transient');
    }
  }
}

describe('ServiceDispatcher on TestBed', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('retries with backoff on the clock, then dead-letters, and the partition moves on', async () => {
    bed = await TestBed.start([JobSource, JobWorker]);
    const start = bed.clock.now();
    await bed.send(Jobs, { id: 'a', step: 1 });
    await bed.send(Jobs, { id: 'a', step: 2, fail: 'always' });
    await bed.send(Jobs, { id: 'a', step: 3 });
    await bed.drain();

    expect(bed.service(JobWorker).log).toEqual([
      'a/1@1',
      'a/2@1',
      'a/2@2',
      'a/2@3',
      'a/2@4',
      'a/3@1',
    ]);
    // 1000 + 3000 + 5000 (capped): the clock moved only as far as the backoffs needed.
    expect(bed.clock.now() - start).toBe(9_000);
    const dead = bed.deadLetters(Jobs).records();
    expect(dead).toHaveLength(1);
    expect(dead[0].value).toEqual({ id: 'a', step: 2, fail: 'always' });
    expect(dead[0].headers).toMatchObject({
      [DeadLetterHeaderNames.ATTEMPTS]: '4',
      [DeadLetterHeaderNames.ERROR_MESSAGE]: 'job a step 2 is broken',
      [DeadLetterHeaderNames.SERVICE]: 'job-worker',
      [DeadLetterHeaderNames.SOURCE_TOPIC]: 'jobs',
    });
    const committed = await bed.app.transport.committedOffsets('job-worker', 'jobs');
    expect(committed.map((offset) => offset ?? 0)).toEqual(
      await bed.app.transport.endOffsets('jobs'),
    );
  });

  it('succeeds on a retry without dead-lettering', async () => {
    bed = await TestBed.start([JobSource, JobWorker]);
    await bed.send(Jobs, { id: 'b', step: 1, fail: 'once' });
    await bed.drain();
    expect(bed.service(JobWorker).log).toEqual(['b/1@1', 'b/1@2']);
    expect(bed.deadLetters(Jobs).count).toBe(0);
  });

  it('does not retry errors that say they are not retriable', async () => {
    bed = await TestBed.start([JobSource, JobWorker]);
    await bed.send(Jobs, { id: 'c', step: 1, fail: 'fatal' });
    await bed.drain();
    expect(bed.service(JobWorker).log).toEqual(['c/1@1']);
    expect(bed.deadLetters(Jobs).records()[0].headers[DeadLetterHeaderNames.ERROR_CODE]).toBe(
      'SW_CONFIGURATION',
    );
  });

  it('skips values the handler filter rejects, committing them', async () => {
    @Service('even-worker')
    class EvenWorker extends StreamService {
      readonly steps: number[] = [];
      @EventHandler(Jobs, { when: (job) => job.step % 2 === 0 })
      work(job: Job): void {
        this.steps.push(job.step);
      }
    }
    bed = await TestBed.start([JobSource, EvenWorker]);
    for (let step = 1; step <= 6; step++) await bed.send(Jobs, { id: 'same', step });
    await bed.drain();
    expect(bed.service(EvenWorker).steps).toEqual([2, 4, 6]);
    const committed = await bed.app.transport.committedOffsets('even-worker', 'jobs');
    expect(committed.map((offset) => offset ?? 0)).toEqual(
      await bed.app.transport.endOffsets('jobs'),
    );
  });

  it('leaves a record in retry uncommitted at shutdown, so the next instance gets it again', async () => {
    bed = await TestBed.start([JobSource, JobWorker]);
    await bed.send(Jobs, { id: 'd', step: 1, fail: 'once' });
    await bed.broker.settled();
    // The record is parked in its first backoff; stopping abandons the retry without committing.
    expect(bed.broker.hasParkedWork()).toBe(true);
    await bed.app.stop();
    expect(bed.broker.group('job-worker').committedFor('jobs', 4)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    const second = await bed.startInstance([JobWorker]);
    await bed.drain();
    // A new instance: it fails once more, then succeeds, so the record was delivered again.
    expect(second.service(JobWorker).log).toEqual(['d/1@1', 'd/1@2']);
    expect(bed.deadLetters(Jobs).count).toBe(0);
  });

  it('keeps per-key order across partitions handled concurrently', async () => {
    bed = await TestBed.start([JobSource, JobWorker]);
    for (let step = 0; step < 50; step++) {
      for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) await bed.send(Jobs, { id, step });
    }
    await bed.drain();
    const log = bed.service(JobWorker).log;
    expect(log).toHaveLength(250);
    for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      const steps = log
        .filter((l) => l.startsWith(`${id}/`))
        .map((l) => Number(l.split('/')[1].split('@')[0]));
      expect(steps).toEqual([...Array(50).keys()]);
    }
  });
});
