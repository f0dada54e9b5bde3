import type { TopicKey } from '../../model/topics/key-serde';

/**
 * The span of one window, in epoch milliseconds. Tumbling and hopping windows are [start, end);
 * session windows are [start, end] with both ends inclusive: the timestamps of their first and
 * last record, as Kafka Streams' SessionWindow (a one-record session is [t, t]).
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * The stable store id of one key's window, `${key}@${start}-${end}`: the changelog key of its
 * entry, and a natural key for windowed results downstream. Numeric and text keys that print the
 * same ("7" and 7) share ids, so one store holds keys of one type, as one topic does.
 */
export function windowStoreId(key: TopicKey, window: Window): string {
  return `${String(key)}@${window.start}-${window.end}`;
}

export function sameWindow(a: Window, b: Window): boolean {
  return a.start === b.start && a.end === b.end;
}
