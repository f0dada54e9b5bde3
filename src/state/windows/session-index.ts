import type { Window } from './window';

/** Each key's live sessions, sorted by start; they never overlap (records a gap apart merge). */
export class SessionIndex<S extends { readonly window: Window }> {
  readonly #byKey = new Map<string, S[]>();

  /** The sessions a record at `timestamp` merges with: those ending or starting within `gapMs` of it. */
  touching(keyText: string, timestamp: number, gapMs: number): S[] {
    const sessions = this.#byKey.get(keyText) ?? [];
    return sessions.filter(
      (s) => s.window.end >= timestamp - gapMs && s.window.start <= timestamp + gapMs,
    );
  }

  add(keyText: string, session: S): void {
    const sessions = this.#byKey.get(keyText);
    if (sessions === undefined) {
      this.#byKey.set(keyText, [session]);
      return;
    }
    const at = sessions.findIndex((s) => s.window.start > session.window.start);
    sessions.splice(at === -1 ? sessions.length : at, 0, session);
  }

  remove(keyText: string, session: S): void {
    const sessions = this.#byKey.get(keyText);
    if (sessions === undefined) return;
    const at = sessions.indexOf(session);
    if (at !== -1) sessions.splice(at, 1);
    if (sessions.length === 0) this.#byKey.delete(keyText);
  }

  clear(): void {
    this.#byKey.clear();
  }
}
