import type { QueryRequest, QueryResult, ReadOnlyTable } from 'streamwise';
import {
  created,
  locationOf,
  Materialize,
  NotFoundError,
  OwnsTopic,
  Query,
  Service,
  StreamService,
} from 'streamwise';

import type { Task } from './tasks-service-topics';
import { Tasks } from './tasks-service-topics';

/**
 * The single writer of `tasks`: takes tasks over HTTP, publishes them, and answers from a table
 * of the topic (rebuilt from the log on start).
 */
@Service('tasks-service')
@OwnsTopic(Tasks)
export class TasksService extends StreamService {
  @Materialize(Tasks)
  readonly tasks!: ReadOnlyTable<string, Task>;

  /** The topic's schema checks the body: a malformed task is answered 400. */
  @Query('POST /v1/tasks')
  async create(request: QueryRequest): Promise<QueryResult> {
    const task = request.body as Task;
    const event = await this.publish(Tasks, task);
    return created(locationOf('/v1/tasks', task.id), { eventId: event.eventId });
  }

  @Query('GET /v1/tasks/:id')
  task(id: string): Task {
    const task = this.tasks.get(id);
    if (task === undefined) throw new NotFoundError(`Task "${id}" does not exist.`);
    return task;
  }
}
