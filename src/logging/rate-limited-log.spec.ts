import type { LogFields, Logger } from './logger';
import { RateLimitedLog } from './rate-limited-log';

function recorder(): { logger: Logger; lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (_message, fields) => lines.push(fields ?? {}),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, lines };
}

describe('RateLimitedLog', () => {
  it('logs a key at its 1st, 10th and 100th occurrence, with the count', () => {
    const { logger, lines } = recorder();
    const log = new RateLimitedLog(logger);
    for (let i = 0; i < 150; i++) log.warn('orders/0', 'skipped', () => ({ topic: 'orders' }));
    expect(lines).toEqual([
      { topic: 'orders', count: 1 },
      { topic: 'orders', count: 10 },
      { topic: 'orders', count: 100 },
    ]);
  });

  it('counts each key on its own', () => {
    const { logger, lines } = recorder();
    const log = new RateLimitedLog(logger);
    log.warn('orders/0', 'skipped', () => ({ partition: 0 }));
    log.warn('orders/1', 'skipped', () => ({ partition: 1 }));
    log.warn('orders/0', 'skipped', () => ({ partition: 0 }));
    expect(lines).toEqual([
      { partition: 0, count: 1 },
      { partition: 1, count: 1 },
    ]);
  });
});
