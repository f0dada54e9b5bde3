import { AsyncLocalStorage } from 'node:async_hooks';

import type { RecordOutput } from '../transport/transport';
import type { StateWriteBuffer } from './state-write-buffer';

/** The record being handled, so a publish from inside a handler joins its output (and transaction). */
export interface HandlerScope {
  readonly service: string;
  readonly output: RecordOutput;
  /** The input partition of the record being handled: state store writes belong to it. */
  readonly partition: number;
  /** State-store writes of this attempt, applied only if it succeeds. */
  readonly writes: StateWriteBuffer;
}

const storage = new AsyncLocalStorage<HandlerScope>();

export function runInHandlerScope<T>(scope: HandlerScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

export function currentHandlerScope(): HandlerScope | undefined {
  return storage.getStore();
}
