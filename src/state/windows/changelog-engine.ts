import type { ChangelogEntry } from './changelog-entry';

/** A stream engine (windowed aggregator, window join) whose state travels through a changelog. */
export interface ChangelogEngine {
  snapshotChanges(): ChangelogEntry<unknown>[];
  restore(entries: Iterable<ChangelogEntry<unknown>>): void;
  readonly lateCount: number;
  readonly streamTime: number | undefined;
}
