import { defineTopic } from '../codec/define-topic';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import { locationOf } from '../http/location';
import type { QueryRequest } from '../http/query-request';
import type { QueryResult } from '../http/query-result';
import { created } from '../http/query-result';
import { MAX_KEY_BYTES } from '../model/key-limit';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { TestBed } from '../testing/test-bed';

interface Note {
  id: string;
  text: string;
}
const Notes = defineTopic<Note>({
  name: 'notes',
  entity: 'Note',
  key: (n) => n.id,
  partitions: 2,
  // Small, so a command can be too large for the broker without a huge request body.
  config: { 'max.message.bytes': '4000' },
});

@Service('notes-service')
@OwnsTopic(Notes)
class NotesService extends StreamService {
  @Materialize(Notes)
  readonly notes!: ReadOnlyTable<string, Note>;

  /** Builds its Location by hand, as applications did before locationOf. */
  @Query('POST /notes')
  async add(request: QueryRequest): Promise<QueryResult> {
    const note = request.body as Note;
    await this.publish(Notes, note);
    return created(`/notes/${note.id}`, { id: note.id });
  }

  @Query('POST /v2/notes')
  async addEncoded(request: QueryRequest): Promise<QueryResult> {
    const note = request.body as Note;
    await this.publish(Notes, note);
    return created(locationOf('/notes', note.id), { id: note.id });
  }

  @Query('GET /notes/:id')
  note(id: string): Note | undefined {
    return this.notes.get(id);
  }
}

describe('command ids in Location headers and key limits', () => {
  let bed: TestBed;
  let url: string;
  beforeEach(async () => {
    bed = await TestBed.start([NotesService]);
    url = bed.app.httpUrl as string;
  });
  afterEach(() => bed.stop());

  const post = (path: string, note: Note): Promise<Response> =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(note),
    });
  const written = (id: string): number =>
    bed
      .topic(Notes)
      .values()
      .filter((n) => n.id === id).length;

  it.each(['../x?y#z', 'a b/c', 'ünï✓ 🚀', 'line\r\nX-Injected: 1', '%2F'])(
    'answers %j with a Location that points at that id, and GET reads it back there',
    async (id) => {
      const posted = await post('/v2/notes', { id, text: 'hello' });
      expect(posted.status).toBe(201);
      const location = posted.headers.get('location') as string;
      expect(location).toBe(`/notes/${encodeURIComponent(id).replace(/[!'()*]/g, escapeChar)}`);
      expect(posted.headers.get('x-injected')).toBeNull();
      await bed.drain();
      const read = await fetch(`${url}${location}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual({ id, text: 'hello' });
    },
  );

  it('never answers 500 once written: a hand-built Location with unicode or CR/LF is encoded', async () => {
    for (const id of ['ünï✓', 'line\r\nX-Injected: 1']) {
      const posted = await post('/notes', { id, text: 'hello' });
      expect(posted.status).toBe(201);
      expect(posted.headers.get('x-injected')).toBeNull();
      expect(posted.headers.get('location')).toBe(
        `/notes/${id.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c))}`,
      );
      expect(await posted.json()).toEqual({ id });
    }
    await bed.drain();
    expect(written('ünï✓')).toBe(1);
  });

  it(`refuses a key above ${MAX_KEY_BYTES} UTF-8 bytes with 400 before writing, and GET reaches every key below`, async () => {
    const tooLong = 'é'.repeat(MAX_KEY_BYTES / 2) + 'x';
    const refused = await post('/v2/notes', { id: tooLong, text: 'hello' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        code: 'SW_KEY_TOO_LARGE',
        message: expect.stringContaining(`at most ${MAX_KEY_BYTES} bytes`) as unknown,
      },
    });
    const longest = 'k'.repeat(MAX_KEY_BYTES);
    const posted = await post('/v2/notes', { id: longest, text: 'hello' });
    expect(posted.status).toBe(201);
    await bed.drain();
    expect(written(tooLong)).toBe(0);
    const read = await fetch(`${url}${posted.headers.get('location') as string}`);
    expect(read.status).toBe(200);
  });

  it('answers 413 to a command whose record the broker refuses as too large', async () => {
    const posted = await post('/v2/notes', { id: 'big', text: 'x'.repeat(5_000) });
    expect(posted.status).toBe(413);
    expect(await posted.json()).toEqual({
      error: {
        code: 'SW_RECORD_TOO_LARGE',
        message: expect.stringContaining('max.message.bytes') as unknown,
      },
    });
  });
});

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}
