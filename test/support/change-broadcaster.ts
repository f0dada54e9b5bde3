import type { ChangeNotifier } from '../../src/http/change-notifier';

/** A ChangeNotifier you fire by hand with `notify()`, for state that has no notifier of its own. */
export class ChangeBroadcaster implements ChangeNotifier {
  readonly #listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const entry = (): void => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  notify(): void {
    // A copy: listeners unsubscribe while being called.
    for (const listener of [...this.#listeners]) listener();
  }

  /** How many subscriptions are open; a settled wait leaves none behind. */
  get listenerCount(): number {
    return this.#listeners.size;
  }
}
