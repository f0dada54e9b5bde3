import { AsyncLocalStorage } from 'node:async_hooks';

import type { RecordOutput } from '../transport/transport';
import type { StateWriteBuffer } from './state-write-buffer';

/** The record being handled, so a publish from inside a handler joins its attempt (and transaction). */
export interface HandlerScope {
  readonly service: string;
  readonly output: RecordOutput;
  /** The input partition of the record being handled: state store writes belong to it. */
  readonly partition: number;
  /** The publishes and state-store writes of this attempt, sent and applied only if it succeeds. */
  readonly writes: StateWriteBuffer;
}

const storage = new AsyncLocalStorage<HandlerScope>();

/** Calls `work(...args)` in the scope; the arguments are passed on so callers need no closure. */
export function runInHandlerScope<A extends unknown[], R>(
  scope: HandlerScope,
  work: (...args: A) => R,
  ...args: A
): R {
  return storage.run(scope, work, ...args);
}

export function currentHandlerScope(): HandlerScope | undefined {
  return storage.getStore();
}
