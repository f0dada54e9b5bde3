import { Writable } from 'node:stream';

import pino from 'pino';

import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from '../testing/test-bed';
import { adaptLogger } from './adapt-logger';
import { SilentLogger } from './silent-logger';

/** A real pino logger writing JSON lines into memory. */
function pinoLines(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const Notes = defineTopic<{ id: string }>({
  name: 'pino-notes',
  entity: 'Note',
  key: (n) => n.id,
  partitions: 1,
});

@Service('pino-writer')
@OwnsTopic(Notes)
class Writer extends StreamService {}

@Service('pino-reader')
class Reader extends StreamService {
  @EventHandler(Notes, { retry: { attempts: 1 } })
  read(note: { id: string }): void {
    throw new Error(`unreadable ${note.id}`);
  }
}

describe('a pino logger as the logger option', () => {
  it("writes streamwise's fields as fields of pino's JSON lines, bindings and errors included", () => {
    const { logger, lines } = pinoLines();
    const adapted = adaptLogger(logger).child({ service: 'billing' });
    adapted.warn('record dead-lettered', { topic: 'payments', error: new Error('boom') });
    adapted.info('plain');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'record dead-lettered',
        service: 'billing',
        topic: 'payments',
        error: expect.objectContaining({ type: 'Error', message: 'boom' }) as object,
      }),
      expect.objectContaining({ level: 30, msg: 'plain', service: 'billing' }),
    ]);
  });

  it('is taken by an app as it is, and its lines carry what the app logs', async () => {
    const { logger, lines } = pinoLines();
    const bed = await TestBed.start([Writer, Reader], { logger });
    try {
      await bed.send(Notes, { id: 'n1' });
      await bed.drain();
    } finally {
      await bed.stop();
    }
    expect(lines()).toContainEqual(
      expect.objectContaining({
        msg: 'service started',
        service: 'pino-reader',
        consumes: ['pino-notes'],
      }),
    );
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'record dead-lettered',
        service: 'pino-reader',
        topic: 'pino-notes',
        partition: 0,
        offset: 0,
        reason: 'handler-failed',
      }),
    );
  });

  it('leaves any other logger as it is', () => {
    const logger = new SilentLogger();
    expect(adaptLogger(logger)).toBe(logger);
  });
});
