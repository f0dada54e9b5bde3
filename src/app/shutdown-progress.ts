/**
 * The steps of a stop that have begun and not ended, in the order they began, so that a stop
 * that takes too long can say what it is waiting for instead of only that it is late.
 */
export class ShutdownProgress {
  readonly #pending = new Set<string>();

  /** Runs `work` as the step `label`, which is pending until the work settles. */
  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    this.#pending.add(label);
    try {
      return await work();
    } finally {
      this.#pending.delete(label);
    }
  }

  pending(): readonly string[] {
    return [...this.#pending];
  }
}
