import type { LogFields, Logger } from '../src';

/**
 * The benchmark's logger for streamwise: warnings are counted (by message) instead of printed, so
 * that a run can report "kafkajs retried 300 sends" in one line; errors are printed to stderr.
 * Children share the counts.
 */
export class CountingLogger implements Logger {
  readonly #warnings: Map<string, number>;
  readonly #bindings: LogFields;

  constructor(warnings: Map<string, number> = new Map(), bindings: LogFields = {}) {
    this.#warnings = warnings;
    this.#bindings = bindings;
  }

  debug(): void {}
  info(): void {}

  warn(message: string): void {
    this.#warnings.set(message, (this.#warnings.get(message) ?? 0) + 1);
  }

  error(message: string, fields?: LogFields): void {
    process.stderr.write(
      `${JSON.stringify({ level: 'error', msg: message, ...this.#bindings, ...fields }, errorReplacer)}\n`,
    );
  }

  child(bindings: LogFields): Logger {
    return new CountingLogger(this.#warnings, { ...this.#bindings, ...bindings });
  }

  /** The warnings counted since the last call, e.g. `312× Failed to send messages: ...`; then resets. */
  takeWarnings(): string | undefined {
    if (this.#warnings.size === 0) return undefined;
    const text = [...this.#warnings]
      .sort((a, b) => b[1] - a[1])
      .map(([message, count]) => `${count}× warning "${shorten(message)}"`)
      .join('; ');
    this.#warnings.clear();
    return text;
  }
}

const MAX_MESSAGE = 90;

function shorten(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
