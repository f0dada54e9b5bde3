import type { LogFields, Logger } from './logger';

export interface RateLimitOptions {
  /** One full entry per key in this window; the rest are counted (default 10 s). */
  readonly intervalMs?: number;
  /** Time source (tests pass a manual one). */
  readonly now?: () => number;
}

type Level = 'warn' | 'error';

/** Says how many entries of a key were not written, and over how many seconds. */
export type Summary = (repeated: number, seconds: number) => string;

interface Window {
  readonly level: Level;
  /** Writes the entry and its summary: the logger (with its bindings) whose entry opened it. */
  readonly writer: Logger;
  readonly startedAt: number;
  readonly summary: Summary;
  suppressed: number;
  lastFields: (() => LogFields) | undefined;
}

/**
 * Writes the first entry of each key (a message, a topic-partition and reason…) in full, then
 * only counts its repeats within the interval and writes one summary with the count, "<message>
 * (N more in the last Xs)" unless the caller words it, when the next one comes after the interval
 * or on flush(). A flood of bad records or of broker errors costs one line per key and interval,
 * and the count still shows. Fields are built only for the lines written (a summary carries
 * the fields of the last repeat).
 */
export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(logger: Logger, options: RateLimitOptions = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get options(): Required<RateLimitOptions> {
    return { intervalMs: this.#intervalMs, now: this.#now };
  }

  warn(key: string, message: string, fields?: () => LogFields, summary?: Summary): void {
    this.write('warn', key, message, fields, summary);
  }

  error(key: string, message: string, fields?: () => LogFields, summary?: Summary): void {
    this.write('error', key, message, fields, summary);
  }

  write(
    level: Level,
    key: string,
    message: string,
    fields?: () => LogFields,
    summary: Summary = (repeated, seconds) =>
      `${message} (${repeated} more in the last ${seconds}s)`,
    writer: Logger = this.#logger,
  ): void {
    const now = this.#now();
    const window = this.#windows.get(key);
    if (window !== undefined && now - window.startedAt < this.#intervalMs) {
      window.suppressed++;
      window.lastFields = fields;
      return;
    }
    this.#summarize(key);
    this.#windows.set(key, {
      level,
      writer,
      startedAt: now,
      summary,
      suppressed: 0,
      lastFields: undefined,
    });
    writer[level](message, fields?.());
  }

  /** Writes the summary of every key that has repeats not written yet. */
  flush(): void {
    for (const key of [...this.#windows.keys()]) this.#summarize(key);
  }

  #summarize(key: string): void {
    const window = this.#windows.get(key);
    this.#windows.delete(key);
    if (window === undefined || window.suppressed === 0) return;
    const seconds = Math.max(1, Math.round((this.#now() - window.startedAt) / 1000));
    window.writer[window.level](window.summary(window.suppressed, seconds), {
      ...window.lastFields?.(),
      repeated: window.suppressed,
    });
  }
}
