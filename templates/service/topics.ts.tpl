import { defineTopic } from '{{package}}';

/** What {{name}} receives. Replace with your business event. */
export interface {{Entity}}Requested {
  id: string;
  amount: number;
}

/** What {{name}} decides. It is this service's own topic: it is its single writer. */
export interface {{Entity}}Decided {
  id: string;
  accepted: boolean;
}

export const {{Entity}}Requests = defineTopic<{{Entity}}Requested>({
  name: '{{stem}}-requests',
  entity: '{{Entity}}Requested',
  key: (r) => r.id,
  partitions: 3,
  schema: {
    type: 'object',
    required: ['id', 'amount'],
    properties: { id: { type: 'string' }, amount: { type: 'number' } },
    additionalProperties: false,
  },
});

export const {{Entity}}Decisions = defineTopic<{{Entity}}Decided>({
  name: '{{stem}}-decisions',
  entity: '{{Entity}}Decided',
  key: (d) => d.id,
  partitions: 3,
  schema: {
    type: 'object',
    required: ['id', 'accepted'],
    properties: { id: { type: 'string' }, accepted: { type: 'boolean' } },
    additionalProperties: false,
  },
});
