import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import type { QueryRequest } from '../http/query-request';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { StreamwiseAppOptions } from './app-options';
import { StreamwiseApp } from './streamwise-app';

interface Job {
  id: string;
  fail?: boolean;
}
const Jobs = defineTopic<Job>({ name: 'jobs', entity: 'Job', key: (j) => j.id, partitions: 2 });

@Service('job-intake')
@OwnsTopic(Jobs)
class JobIntake extends StreamService {
  @Query('POST /jobs')
  async submit(request: QueryRequest): Promise<{ eventId: string }> {
    return { eventId: (await this.publish(Jobs, request.body as Job)).eventId };
  }
}

@Service('job-worker')
class JobWorker extends StreamService {
  readonly done: string[] = [];
  @EventHandler(Jobs, { retry: { attempts: 2, initialDelayMs: 0 } })
  work(job: Job): void {
    if (job.fail === true) throw new Error(`job ${job.id} failed`);
    this.done.push(job.id);
  }
}

/** The value of the sample of `name` whose labels include all of `labels`, summed over matches. */
function sample(text: string, name: string, labels: Readonly<Record<string, string>>): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const given = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => given.includes(`${k}="${v}"`))) {
      sum += Number(match[3]);
      found = true;
    }
  }
  if (!found) throw new Error(`no sample ${name} with ${JSON.stringify(labels)} in:\n${text}`);
  return sum;
}

describe('GET /metrics (metrics: { prometheus: true })', () => {
  const apps: StreamwiseApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });

  async function start(
    services: StreamwiseAppOptions['services'],
    broker: MemoryBroker,
    prometheus: boolean | undefined,
  ): Promise<StreamwiseApp> {
    const app = StreamwiseApp.create({
      services,
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      ...(prometheus === undefined ? {} : { metrics: { prometheus } }),
    });
    apps.push(app);
    return app.start();
  }

  it('answers with the counts of a known workload in the Prometheus text format', async () => {
    const broker = new MemoryBroker();
    const intake = await start([JobIntake], broker, true);
    const worker = await start([JobWorker], broker, true);
    const post = (job: Job): Promise<Response> =>
      fetch(`${intake.httpUrl as string}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job),
      });
    for (const id of ['j1', 'j2', 'j3', 'j4', 'j5']) expect((await post({ id })).status).toBe(200);
    expect((await post({ id: 'j6', fail: true })).status).toBe(200);
    await waitFor(() => worker.service(JobWorker).done.length === 5, 'five jobs done');
    await broker.settled();

    // The worker has no @Query route: its HTTP server runs for /metrics alone.
    const response = await fetch(`${worker.httpUrl as string}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const jobs = {
      messaging_destination_name: 'jobs',
      messaging_consumer_group_name: 'job-worker',
    };
    expect(sample(text, 'messaging_client_consumed_messages_total', jobs)).toBe(6);
    expect(sample(text, 'messaging_process_duration_count', jobs)).toBe(6);
    expect(sample(text, 'streamwise_retries_total', jobs)).toBe(1);
    expect(
      sample(text, 'streamwise_dead_letters_total', {
        ...jobs,
        streamwise_dead_letter_reason: 'handler-failed',
      }),
    ).toBe(1);
    expect(text).toContain('# TYPE messaging_client_consumed_messages_total counter');
    // Seconds, so handling in well under a second lands below the 1 s bucket boundary.
    expect(sample(text, 'messaging_process_duration_bucket', { ...jobs, le: '1' })).toBe(6);

    // Each app reports its own services only: the intake published, the worker consumed.
    const intakeText = await (await fetch(`${intake.httpUrl as string}/metrics`)).text();
    expect(
      sample(intakeText, 'messaging_client_sent_messages_total', {
        streamwise_service: 'job-intake',
      }),
    ).toBe(6);
    expect(
      sample(intakeText, 'http_server_request_duration_count', {
        http_route: '/jobs',
        http_response_status_code: '200',
      }),
    ).toBe(6);
    expect(intakeText).not.toContain('messaging_client_consumed_messages_total{');
  });

  it('is not there without the option', async () => {
    const app = await start([JobIntake], new MemoryBroker(), undefined);
    const response = await fetch(`${app.httpUrl as string}/metrics`);
    expect(response.status).toBe(404);
  });

  it('is not there when the option is false, and starts no server for it', async () => {
    const app = await start([JobWorker], new MemoryBroker(), false);
    expect(app.httpUrl).toBeUndefined();
  });
});
