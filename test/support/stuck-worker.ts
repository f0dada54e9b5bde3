import { defineTopic } from '../../src/codec/define-topic';
import { EventHandler } from '../../src/decorators/event-handler';
import { Service } from '../../src/decorators/service';
import type { TopicDefinition } from '../../src/model/topics/topic-definition';
import type { ServiceClass } from '../../src/runtime/service-class';
import { StreamService } from '../../src/runtime/stream-service';
import { deferred } from '../../src/transport/kafka/deferred';

export interface Job {
  id: string;
}

/** A service whose handler waits for `release()`: what a handler hung on I/O looks like. */
export interface StuckWorker {
  readonly service: ServiceClass;
  readonly jobs: TopicDefinition<Job, string>;
  /** Records whose handler has started. */
  handling(): number;
  /** Lets every handler waiting, and every later one, finish. */
  release(): void;
}

export function stuckWorker(name: string): StuckWorker {
  const jobs = defineTopic<Job>({ name: `${name}-jobs`, entity: 'Job', key: (j) => j.id });
  const released = deferred();
  let handling = 0;
  @Service(name)
  class Worker extends StreamService {
    @EventHandler(jobs)
    async work(_job: Job): Promise<void> {
      handling++;
      await released.promise;
    }
  }
  return {
    service: Worker,
    jobs,
    handling: () => handling,
    release: () => released.resolve(),
  };
}
