import { NotFoundError, SchemaValidationError } from 'streamwise';
import { TestBed } from 'streamwise/testing';

import { TasksService } from './tasks-service';
import type { Task } from './tasks-service-topics';
import { Tasks } from './tasks-service-topics';

describe('tasks-service', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([TasksService]);
  });
  afterEach(() => bed.stop());

  it('answers the latest version of every task from its table', async () => {
    await bed.send(Tasks, { id: 't-1', title: 'write the first test' });
    await bed.send(Tasks, { id: 't-1', title: 'write the first two tests' });
    await bed.drain();
    const service = bed.service(TasksService);
    expect(service.task('t-1')).toEqual({ id: 't-1', title: 'write the first two tests' });
    expect(() => service.task('t-2')).toThrow(NotFoundError);
  });

  it('refuses a task that breaks the schema: nothing is written', async () => {
    await expect(bed.send(Tasks, { id: 't-3' } as Task)).rejects.toThrow(SchemaValidationError);
    expect(bed.topic(Tasks).count).toBe(0);
  });
});
