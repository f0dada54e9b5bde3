import type { Clock } from '../../clock/clock';
import type { RejectionReason } from '../../codec/record-gate';
import { QueryAbortedError } from '../../errors/query-aborted-error';
import { TableWaitTimeoutError } from '../../errors/table-wait-timeout-error';
import type { TopicKey } from '../../model/topics/key-serde';
import type { ReadOnlyTable } from './read-only-table';
import type { TableStore } from './table-store';

const DEFAULT_WAIT_MS = 10_000;

/**
 * The latest value per key of a topic, kept in a store and fed by a TableFeeder. The runtime
 * writes through `apply`; user code only ever sees `readOnlyView()`, which has no write method.
 */
export class MaterializedTable<K extends TopicKey, V> {
  readonly name: string;
  readonly #store: TableStore<K, V>;
  readonly #clock: Clock;
  readonly #waiters = new Map<K, Set<() => void>>();
  readonly #changeListeners = new Set<() => void>();
  /** Records left out by the producer and key checks (RecordGate), by reason. */
  readonly skipped: Record<RejectionReason, number> = {
    'foreign-producer': 0,
    'unsigned-record': 0,
    'key-mismatch': 0,
  };

  constructor(name: string, store: TableStore<K, V>, clock: Clock) {
    this.name = name;
    this.#store = store;
    this.#clock = clock;
  }

  get store(): TableStore<K, V> {
    return this.#store;
  }

  /**
   * Applies one record: a value upserts, undefined (a tombstone) deletes. `json` is the value's
   * JSON text as the record carried it, when it is exactly that (see TableStore.put).
   */
  apply(key: K, value: V | undefined, partition: number, offset: number, json?: Buffer): void {
    if (value === undefined) this.#store.remove(key, partition, offset + 1);
    else this.#store.put(key, value, partition, offset + 1, json);
    // Copies only when someone listens: a waiter or listener may unsubscribe while called.
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) for (const waiter of [...waiters]) waiter();
    if (this.#changeListeners.size > 0) {
      for (const listener of [...this.#changeListeners]) listener();
    }
  }

  /** Called on every change (for long polls that watch the whole table). */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** waitFor calls still waiting (each holds one listener and one timer). */
  get waiting(): number {
    let count = 0;
    for (const waiters of this.#waiters.values()) count += waiters.size;
    return count;
  }

  waitFor(
    key: K,
    predicate: (value: V) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
    signal?: AbortSignal,
  ): Promise<V> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    const current = this.#store.get(key);
    if (current !== undefined && predicate(current)) return Promise.resolve(current);
    return new Promise<V>((resolve, reject) => {
      const timeout = new AbortController();
      const waiters = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, waiters);
      const finish = (): void => {
        waiters.delete(check);
        if (waiters.size === 0) this.#waiters.delete(key);
        signal?.removeEventListener('abort', onAbort);
        timeout.abort();
      };
      const check = (): void => {
        const value = this.#store.get(key);
        if (value === undefined || !predicate(value)) return;
        finish();
        resolve(value);
      };
      // A request that went away (client gone, server stopping) must not leave its waiter behind.
      const onAbort = (): void => {
        finish();
        reject(abortReason(signal));
      };
      waiters.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.#clock.sleep(timeoutMs, timeout.signal).then(() => {
        if (timeout.signal.aborted) return;
        finish();
        reject(new TableWaitTimeoutError(this.name, String(key), timeoutMs));
      });
    });
  }

  /** What gets injected into the service: reads only; the object cannot be changed or extended. */
  readOnlyView(): ReadOnlyTable<K, V> {
    const store = this.#store;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read by the view's getter
    const table = this;
    return Object.freeze({
      get: (key: K) => store.get(key),
      has: (key: K) => store.has(key),
      entries: () => store.entries(),
      get size() {
        return store.size;
      },
      get waiting() {
        return table.waiting;
      },
      get skipped() {
        return { ...table.skipped };
      },
      waitFor: (
        key: K,
        predicate?: (value: V) => boolean,
        timeoutMs?: number,
        signal?: AbortSignal,
      ) => this.waitFor(key, predicate, timeoutMs, signal),
    });
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new QueryAbortedError('the wait was aborted', reason);
}
