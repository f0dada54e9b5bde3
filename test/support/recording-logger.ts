import type { LogFields, Logger } from '../../src/logging/logger';

/** Keeps every message (with its level) so a test can tell which paths ran. */
export class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; fields: LogFields | undefined }[] = [];

  get messages(): string[] {
    return this.entries.map((e) => e.message);
  }

  debug(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}
