import type { ChangelogEntry } from './changelog-entry';

/**
 * Which store ids changed since the last snapshot, so the changelog gets at most one record per
 * id per snapshot, carrying the latest value. A deletion is reported only for an id the changelog
 * already holds: an entry created and evicted between two snapshots never reaches it.
 */
export class PendingChanges {
  /** id → true: write its current value; false: write a tombstone. Insertion-ordered. */
  readonly #pending = new Map<string, boolean>();
  /** Ids whose latest value the changelog holds (reported, or restored from it). */
  readonly #logged = new Set<string>();

  written(id: string): void {
    this.#pending.set(id, true);
  }

  deleted(id: string): void {
    if (this.#logged.has(id)) this.#pending.set(id, false);
    else this.#pending.delete(id);
  }

  /** Reports and forgets the pending changes; `read` gives an id's current value (undefined: gone). */
  drain<T>(read: (id: string) => T | undefined): ChangelogEntry<T>[] {
    const changes: ChangelogEntry<T>[] = [];
    for (const [id, write] of this.#pending) {
      const value = write ? read(id) : undefined;
      if (value === undefined) {
        changes.push({ id, value: null });
        this.#logged.delete(id);
      } else {
        changes.push({ id, value });
        this.#logged.add(id);
      }
    }
    this.#pending.clear();
    return changes;
  }

  /** After a restore: nothing pending, and the changelog holds exactly `ids`. */
  reset(ids: Iterable<string>): void {
    this.#pending.clear();
    this.#logged.clear();
    for (const id of ids) this.#logged.add(id);
  }
}
