import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import { NotFoundError } from '../errors/not-found-error';
import type { QueryRequest } from '../http/query-request';
import type { QueryResult } from '../http/query-result';
import { created } from '../http/query-result';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { TestBed } from './test-bed';

interface Note {
  id: string;
  text: string;
}

const Notes = defineTopic<Note>({
  name: 'notes',
  entity: 'Note',
  key: (n) => n.id,
  partitions: 4,
  schema: {
    type: 'object',
    required: ['id', 'text'],
    properties: { id: { type: 'string' }, text: { type: 'string' } },
    additionalProperties: false,
  },
});

@Service('notes-service')
@OwnsTopic(Notes)
class NotesService extends StreamService {
  @Materialize(Notes, { mode: 'partitioned' })
  readonly notes!: ReadOnlyTable<string, Note>;

  readonly seen: string[] = [];

  @Query('POST /notes')
  async add(request: QueryRequest): Promise<QueryResult> {
    const note = request.body as Note;
    await this.publish(Notes, note);
    return created(`/notes/${note.id}`, { id: note.id, via: request.headers['x-client'] });
  }

  // Key-routed: over HTTP the instance holding the key's partition answers.
  @Query('GET /notes/:id', { routeBy: 'id' })
  note(id: string): Note {
    const note = this.notes.get(id);
    if (note === undefined) throw new NotFoundError(`Note "${id}" does not exist.`);
    return note;
  }

  @Query('GET /notes')
  count(request: QueryRequest): { count: number; prefix: string } {
    const prefix = typeof request.query.prefix === 'string' ? request.query.prefix : '';
    const ids = [...this.notes.entries()].map(([id]) => id).filter((id) => id.startsWith(prefix));
    return { count: ids.length, prefix };
  }

  @EventHandler(Notes)
  onNote(note: Note): void {
    this.seen.push(note.id);
  }
}

describe('TestBed.inject: @Query routes in-process, without a port', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('posts JSON, reads it back with path params and a query string, as over HTTP', async () => {
    bed = await TestBed.start([NotesService]);
    const posted = await bed.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'x-client': 'spec' },
      payload: { id: 'n-1', text: 'hello' },
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.location).toBe('/notes/n-1');
    expect(posted.json()).toEqual({ id: 'n-1', via: 'spec' });

    await bed.drain();
    const read = await bed.inject('GET /notes/n-1');
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.json<Note>()).toEqual({ id: 'n-1', text: 'hello' });
    expect((await bed.inject('/notes?prefix=n-')).json()).toEqual({ count: 1, prefix: 'n-' });
    expect(bed.service(NotesService).seen).toEqual(['n-1']);
  });

  it("answers errors with the query server's status and JSON error body", async () => {
    bed = await TestBed.start([NotesService]);
    const missing = await bed.inject('GET /notes/n-9');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({
      error: { code: 'SW_NOT_FOUND', message: 'Note "n-9" does not exist.' },
    });

    const malformed = await bed.inject({ method: 'POST', url: '/notes', payload: { id: 'n-2' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toContain('does not match its schema');

    const notJson = await bed.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{oops',
    });
    expect(notJson.status).toBe(400);

    const noRoute = await bed.inject('DELETE /notes/n-1');
    expect(noRoute.status).toBe(404);
    expect(noRoute.body).toContain('No query at DELETE /notes/n-1');
    await bed.drain();
    expect(bed.topic(Notes).count).toBe(0);
  });

  it('serves the health probes', async () => {
    bed = await TestBed.start([NotesService]);
    expect((await bed.inject('GET /health/live')).status).toBe(200);
    expect((await bed.inject('GET /health/ready')).status).toBe(200);
  });
});
