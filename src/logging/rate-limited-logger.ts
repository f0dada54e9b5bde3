import type { LogFields, Logger } from './logger';
import type { RateLimitOptions } from './rate-limited-log';
import { RateLimitedLog } from './rate-limited-log';

export type { RateLimitOptions } from './rate-limited-log';

/**
 * A Logger whose warn and error entries are rate-limited per level and message (RateLimitedLog):
 * a broker outage makes every client, consumer and retry log the same few lines many times a
 * second; this keeps one of each per interval, with the count. Debug and info entries pass as
 * they are.
 */
export class RateLimitedLogger implements Logger {
  readonly #inner: Logger;
  readonly #log: RateLimitedLog;

  constructor(inner: Logger, options: RateLimitOptions = {}) {
    this.#inner = inner;
    this.#log = new RateLimitedLog(inner, options);
  }

  debug(message: string, fields?: LogFields): void {
    this.#inner.debug(message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#inner.info(message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log.warn(`warn\u0000${message}`, message, fields && (() => fields));
  }

  error(message: string, fields?: LogFields): void {
    this.#log.error(`error\u0000${message}`, message, fields && (() => fields));
  }

  child(bindings: LogFields): Logger {
    return new RateLimitedLogger(this.#inner.child(bindings), this.#log.options);
  }

  /** Writes the summary of every message that has repeats not written yet. */
  flush(): void {
    this.#log.flush();
  }
}
