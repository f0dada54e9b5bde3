import type { Window } from './window';

/** A window's aggregate as the aggregator reports it. */
export interface WindowResult<K, A> {
  readonly key: K;
  readonly window: Window;
  readonly aggregate: A;
  /**
   * With emit 'update', the earlier session windows of this key that this one absorbed (a record
   * extended or bridged them): downstream deletes their results. Empty for time windows, for a
   * session that kept its bounds, and with emit 'close' (replaced sessions were never emitted).
   */
  readonly replaced: readonly Window[];
  /** True with emit 'close': the window has closed and no later result for it will follow. */
  readonly final: boolean;
}

/** What one record did to a windowed aggregation. */
export interface AddOutcome<K, A> {
  /**
   * Emit 'update': every window the record changed, earliest first. Emit 'close': the windows
   * that closed because the record moved stream time, in window-end order.
   */
  readonly results: WindowResult<K, A>[];
  /** The record arrived after its windows closed and changed nothing: dead-letter and count it. */
  readonly late: boolean;
}
