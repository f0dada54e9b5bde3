import type { LogFields, Logger } from './logger';
import type { RateLimitOptions } from './rate-limited-log';
import { RateLimitedLog } from './rate-limited-log';

export type { RateLimitOptions } from './rate-limited-log';

/**
 * A Logger whose warn and error entries are rate-limited per level and message (RateLimitedLog):
 * a broker outage makes every client, consumer and retry log the same few lines many times a
 * second; this keeps one of each per interval, with the count. Debug and info entries pass as
 * they are. Children share their parent's windows: a message repeated by several consumers of one
 * transport is counted once, and flush() on the root writes every pending summary (a transport
 * flushes on disconnect).
 */
export class RateLimitedLogger implements Logger {
  readonly #inner: Logger;
  readonly #log: RateLimitedLog;

  constructor(inner: Logger, options: RateLimitOptions = {}, parent?: RateLimitedLog) {
    this.#inner = inner;
    this.#log = parent ?? new RateLimitedLog(inner, options);
  }

  debug(message: string, fields?: LogFields): void {
    this.#inner.debug(message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#inner.info(message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log.write(
      'warn',
      `warn\u0000${message}`,
      message,
      fields && (() => fields),
      undefined,
      this.#inner,
    );
  }

  error(message: string, fields?: LogFields): void {
    this.#log.write(
      'error',
      `error\u0000${message}`,
      message,
      fields && (() => fields),
      undefined,
      this.#inner,
    );
  }

  child(bindings: LogFields): Logger {
    return new RateLimitedLogger(this.#inner.child(bindings), this.#log.options, this.#log);
  }

  /** Writes the summary of every message that has repeats not written yet, its children's too. */
  flush(): void {
    this.#log.flush();
  }
}
