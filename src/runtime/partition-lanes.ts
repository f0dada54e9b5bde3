/**
 * Runs work one at a time per partition number. Co-partitioned topics share partition i's state
 * (a store shard, a window engine, a table partition), as one Kafka Streams task does; the
 * transports run partitions of different topics concurrently, so without this two handlers could
 * read the same state before either wrote it. Order within a lane is arrival order.
 */
export class PartitionLanes {
  readonly #tails = new Map<number, Promise<unknown>>();

  run<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(partition) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(partition, tail);
    void tail.then(() => {
      if (this.#tails.get(partition) === tail) this.#tails.delete(partition);
    });
    return next;
  }
}
