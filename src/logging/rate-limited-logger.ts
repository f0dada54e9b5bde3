import type { LogFields, Logger } from './logger';

export interface RateLimitOptions {
  /** One full entry per message and level in this window; the rest are counted (default 10 s). */
  readonly intervalMs?: number;
  /** Time source (tests pass a manual one). */
  readonly now?: () => number;
}

export interface RateLimitWindow {
  readonly startedAt: number;
  /** The logger whose entry opened the window writes its summary (it carries that entry's bindings). */
  readonly writer: Logger;
  suppressed: number;
  lastFields: LogFields | undefined;
}

/**
 * A Logger that writes the first warn or error entry of each message (per level) in full, then only counts
 * repeats of it within the interval and writes one summary, "<message> (N more in the last Xs)",
 * when the next one comes after the interval or on flush(). A broker outage makes every client,
 * consumer and retry log the same few lines many times a second; this keeps one of each per
 * interval, with the count. Debug and info entries pass as they are.
 */
export class RateLimitedLogger implements Logger {
  readonly #inner: Logger;
  readonly #intervalMs: number;
  readonly #now: () => number;
  // Shared with every child: a message repeated by several consumers of one transport is counted
  // once, and flush() on the root writes every pending summary (a transport flushes on disconnect).
  readonly #windows: Map<string, RateLimitWindow>;

  constructor(
    inner: Logger,
    options: RateLimitOptions = {},
    parentWindows?: Map<string, RateLimitWindow>,
  ) {
    this.#inner = inner;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#windows = parentWindows ?? new Map<string, RateLimitWindow>();
  }

  debug(message: string, fields?: LogFields): void {
    this.#inner.debug(message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#inner.info(message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }

  child(bindings: LogFields): Logger {
    const options = { intervalMs: this.#intervalMs, now: this.#now };
    return new RateLimitedLogger(this.#inner.child(bindings), options, this.#windows);
  }

  /** Writes the summary of every message that has repeats not written yet, its children's too. */
  flush(): void {
    for (const key of [...this.#windows.keys()]) this.#summarize(key);
  }

  #write(level: 'warn' | 'error', message: string, fields?: LogFields): void {
    const key = `${level}\u0000${message}`;
    const now = this.#now();
    const window = this.#windows.get(key);
    if (window !== undefined && now - window.startedAt < this.#intervalMs) {
      window.suppressed++;
      window.lastFields = fields;
      return;
    }
    this.#summarize(key);
    this.#windows.set(key, {
      startedAt: now,
      writer: this.#inner,
      suppressed: 0,
      lastFields: undefined,
    });
    this.#inner[level](message, fields);
  }

  #summarize(key: string): void {
    const window = this.#windows.get(key);
    this.#windows.delete(key);
    if (window === undefined || window.suppressed === 0) return;
    const [level, message] = key.split('\u0000') as ['warn' | 'error', string];
    const seconds = Math.max(1, Math.round((this.#now() - window.startedAt) / 1000));
    window.writer[level](`${message} (${window.suppressed} more in the last ${seconds}s)`, {
      ...window.lastFields,
      repeated: window.suppressed,
    });
  }
}
