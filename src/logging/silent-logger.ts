import type { Logger } from './logger';

/** Discards everything; the default in TestBed so test output stays readable. */
export class SilentLogger implements Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}
