import { defineTopic } from 'streamwise';

/** A task someone wants done. Replace it with your own business event. */
export interface Task {
  id: string;
  title: string;
}

/**
 * Every task, keyed by id. `owner` names its single writer: every app that reads the topic knows
 * who may write it, and only the owner's app creates it.
 */
export const Tasks = defineTopic<Task>({
  name: 'tasks',
  entity: 'Task',
  owner: 'tasks-service',
  key: (t) => t.id,
  partitions: 3,
  schema: {
    type: 'object',
    required: ['id', 'title'],
    properties: { id: { type: 'string', minLength: 1 }, title: { type: 'string', minLength: 1 } },
    additionalProperties: false,
  },
});
