/**
 * One holder at a time, served in the order they asked: the transactions of an instance's one
 * transactional producer. The client allows one open transaction per producer, and it merges
 * concurrent requests of the same kind into one (two partitions adding their offsets at once
 * would commit only the first), so a partition holds the producer from its first send to its
 * commit or abort.
 */
export class TransactionTurns {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves with the function that ends the turn (calling it again does nothing). */
  take(): Promise<() => void> {
    let end: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => ended);
    return previous.then(() => end);
  }
}
