/**
 * One record of a store's changelog: the latest value of `id`, or `null` to delete it (a
 * tombstone). Values are plain JSON when the aggregates and values they carry are.
 */
export interface ChangelogEntry<T> {
  readonly id: string;
  readonly value: T | null;
}

/**
 * The id of the entry that holds an engine's stream time. Window and join-buffer ids always
 * contain `@`, so they never collide with it.
 */
export const STREAM_TIME_ID = '~stream-time';
