import type { RejectionReason } from '../../codec/record-gate';

/**
 * A table view of a topic: the latest value per key (tombstones delete). Read-only by design
 * (principle 8): it changes only when its topic does, and is rebuilt from the log.
 */
export interface ReadOnlyTable<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  /**
   * Records the view left out because they do not belong on the topic, by reason: written by a
   * service other than its owner, unsigned under unsignedRecords 'dead-letter', or mis-keyed.
   */
  readonly skipped: Readonly<Record<RejectionReason, number>>;
  /** How many waitFor calls are still waiting. */
  readonly waiting: number;
  /**
   * Resolves with the key's value once `predicate` holds for it (default: the key exists),
   * checking now and after every change; rejects with TableWaitTimeoutError after `timeoutMs`,
   * or with the signal's reason when `signal` aborts. In a @Query, pass `request.signal`: the
   * wait then ends (and leaves nothing behind) when the client disconnects or the server stops.
   */
  waitFor(
    key: K,
    predicate?: (value: V) => boolean,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<V>;
}
