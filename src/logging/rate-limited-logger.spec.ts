import { RecordingLogger } from '../../test/support/recording-logger';
import { RateLimitedLogger } from './rate-limited-logger';

describe('RateLimitedLogger', () => {
  it('writes the first entry of a message, counts its repeats, and summarizes them after the interval', () => {
    const inner = new RecordingLogger();
    let now = 0;
    const logger = new RateLimitedLogger(inner, { intervalMs: 10_000, now: () => now });
    for (let i = 0; i < 200; i++) logger.error('Connection error', { attempt: i });
    logger.warn('Connection error', { attempt: 'w' });
    expect(inner.entries).toEqual([
      { level: 'error', message: 'Connection error', fields: { attempt: 0 } },
      { level: 'warn', message: 'Connection error', fields: { attempt: 'w' } },
    ]);

    now = 12_000;
    logger.error('Connection error', { attempt: 200 });
    expect(inner.entries.slice(2)).toEqual([
      {
        level: 'error',
        message: 'Connection error (199 more in the last 12s)',
        fields: { attempt: 199, repeated: 199 },
      },
      { level: 'error', message: 'Connection error', fields: { attempt: 200 } },
    ]);
  });

  it('flushes pending summaries, writes a lone entry once, and passes debug and info through', () => {
    const inner = new RecordingLogger();
    const now = 0;
    const logger = new RateLimitedLogger(inner, { now: () => now });
    logger.info('once');
    logger.info('once');
    logger.error('alone');
    logger.debug('chatty');
    logger.debug('chatty');
    logger.warn('twice');
    logger.warn('twice');
    logger.flush();
    logger.flush();
    expect(inner.messages).toEqual([
      'once',
      'once',
      'alone',
      'chatty',
      'chatty',
      'twice',
      'twice (1 more in the last 1s)',
    ]);
  });

  it('counts a message repeated by its children once, and flushes their summaries with its own', () => {
    const inner = new RecordingLogger();
    const logger = new RateLimitedLogger(inner, { now: () => 0 });
    const first = logger.child({ groupId: 'a' });
    const second = logger.child({ groupId: 'b' });
    first.warn('consumer crashed');
    second.warn('consumer crashed');
    second.warn('consumer crashed');
    logger.flush();
    expect(inner.messages).toEqual([
      'consumer crashed',
      'consumer crashed (2 more in the last 1s)',
    ]);
  });
});
