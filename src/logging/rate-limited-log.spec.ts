import { RecordingLogger } from '../../test/support/recording-logger';
import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  it('writes a key once per interval, then a summary worded by the caller with the count', () => {
    const inner = new RecordingLogger();
    let now = 0;
    const log = new RateLimitedLog(inner, { intervalMs: 5_000, now: () => now });
    const summary = (repeated: number, seconds: number): string =>
      `${repeated} more dead letters on orders in the last ${seconds}s`;
    for (let i = 0; i < 150; i++) {
      log.warn('orders/0', 'record dead-lettered', () => ({ offset: i }), summary);
    }
    expect(inner.entries).toEqual([
      { level: 'warn', message: 'record dead-lettered', fields: { offset: 0 } },
    ]);
    now = 6_000;
    log.warn('orders/0', 'record dead-lettered', () => ({ offset: 150 }), summary);
    expect(inner.entries.slice(1)).toEqual([
      {
        level: 'warn',
        message: '149 more dead letters on orders in the last 6s',
        fields: { offset: 149, repeated: 149 },
      },
      { level: 'warn', message: 'record dead-lettered', fields: { offset: 150 } },
    ]);
  });

  it('counts each key on its own, and builds fields only for what it writes', () => {
    const inner = new RecordingLogger();
    const log = new RateLimitedLog(inner, { now: () => 0 });
    let built = 0;
    const fields = (partition: number) => () => {
      built++;
      return { partition };
    };
    log.warn('orders/0', 'skipped', fields(0));
    log.warn('orders/1', 'skipped', fields(1));
    log.warn('orders/0', 'skipped', fields(0));
    expect(inner.entries.map((e) => e.fields)).toEqual([{ partition: 0 }, { partition: 1 }]);
    log.flush();
    expect(inner.messages.at(-1)).toBe('skipped (1 more in the last 1s)');
    expect(built).toBe(3);
  });
});
