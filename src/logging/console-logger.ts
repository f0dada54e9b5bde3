import type { LogFields, Logger, LogLevel } from './logger';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per entry on stderr, at or above `level` (STREAMWISE_LOG_LEVEL, default info). */
export class ConsoleLogger implements Logger {
  readonly #level: LogLevel;
  readonly #bindings: LogFields;

  constructor(level: LogLevel = ConsoleLogger.levelFromEnv(), bindings: LogFields = {}) {
    this.#level = level;
    this.#bindings = bindings;
  }

  static levelFromEnv(): LogLevel {
    const value = process.env.STREAMWISE_LOG_LEVEL;
    return value === 'debug' || value === 'info' || value === 'warn' || value === 'error'
      ? value
      : 'info';
  }

  debug(message: string, fields?: LogFields): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }
  child(bindings: LogFields): Logger {
    return new ConsoleLogger(this.#level, { ...this.#bindings, ...bindings });
  }

  #write(level: LogLevel, message: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.#level]) return;
    const entry = {
      time: new Date().toISOString(),
      level,
      msg: message,
      ...this.#bindings,
      ...fields,
    };
    process.stderr.write(`${JSON.stringify(entry, errorReplacer)}\n`);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
