import { TestBed } from 'streamwise/testing';

import { TasksService } from './tasks-service';
import { Tasks } from './tasks-service-topics';

describe('tasks-service', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([TasksService]);
  });
  afterEach(() => bed.stop());

  it('takes a task over HTTP, publishes it and answers it from its table', async () => {
    const posted = await bed.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { id: 't-1', title: 'write the first test' },
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.location).toBe('/v1/tasks/t-1');
    await bed.drain();
    expect(bed.topic(Tasks).values()).toEqual([{ id: 't-1', title: 'write the first test' }]);

    const read = await bed.inject('GET /v1/tasks/t-1');
    expect(read.status).toBe(200);
    expect(read.json()).toEqual({ id: 't-1', title: 'write the first test' });
  });

  it('keeps the latest version of a task that was sent twice', async () => {
    await bed.send(Tasks, { id: 't-2', title: 'draft' });
    await bed.send(Tasks, { id: 't-2', title: 'final' });
    await bed.drain();
    expect((await bed.inject('GET /v1/tasks/t-2')).json()).toEqual({ id: 't-2', title: 'final' });
  });

  it('answers 400 to a task that breaks the schema, and 404 to an unknown one', async () => {
    const malformed = await bed.inject({ method: 'POST', url: '/v1/tasks', payload: { id: 't-3' } });
    expect(malformed.status).toBe(400);
    expect((await bed.inject('GET /v1/tasks/t-3')).status).toBe(404);
    await bed.drain();
    expect(bed.topic(Tasks).count).toBe(0);
  });
});
