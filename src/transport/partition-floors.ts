import type { Logger } from '../logging/logger';
import type { TopicPartition } from './transport';

/**
 * Per partition of a subscription, the offset below which records are done already and are
 * skipped (exactly-once; at-least-once has no floor).
 *
 * - At the start of each assignment the floor is the group's committed offset, read once the
 *   partition's transactions have settled (`RecordProcessor.prepare`).
 * - Each transaction the subscription commits raises it to the position it carried. The member
 *   holds the partition meanwhile, and a fenced zombie cannot commit, so nothing else moves the
 *   group's offset: a consumer position that goes back below it is not followed. kafkajs moves a
 *   position it finds out of range to the start of the partition (auto offset reset), which a
 *   leader change has been reported to cause (kafkajs issue 1119); handling those records again
 *   would write their outputs twice.
 * - The position the subscription's own transactions committed outlives the assignment: when
 *   the group reports less (a broker can drop an acknowledged transactional offset commit while
 *   its group coordinator moves, KAFKA-20634), that position is the floor, and it is committed
 *   again. The price: a seek another member made while it held the partition (a replay) is not
 *   followed here; a seek applies to the member that makes it.
 * - An explicit seek forgets both: the subscriber asked for those records again.
 */
export class PartitionFloors {
  /** Floors of the current assignment; undefined (present) when nothing is to be skipped. */
  readonly #floors = new Map<string, number | undefined>();
  /** The position the subscription's last transaction committed for each partition. */
  readonly #committed = new Map<string, number>();
  /** Partitions whose floor a commit of the current assignment raised. */
  readonly #raised = new Set<string>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** The partition's floor has been set in the current assignment. */
  has(key: string): boolean {
    return this.#floors.has(key);
  }

  get(key: string): number | undefined {
    return this.#floors.get(key);
  }

  /**
   * The floor at the start of an assignment, from the group's committed offset. Returns the
   * position to commit again when the group reports less than this subscription's transactions
   * committed, so the group's offset is right again also for whoever holds the partition next.
   */
  start(
    key: string,
    partition: TopicPartition,
    groupCommitted: number | undefined,
  ): number | undefined {
    const own = this.#committed.get(key);
    if (own === undefined || (groupCommitted !== undefined && groupCommitted >= own)) {
      this.#floors.set(key, groupCommitted);
      return undefined;
    }
    const reported =
      groupCommitted === undefined ? 'no committed offset' : `committed offset ${groupCommitted}`;
    this.#logger.warn(
      `the group reports ${reported} for partition ${partition.partition} of "${partition.topic}", below the ${own} this subscription's transactions committed (the broker lost a commit, or another member was sent back by a seek); records below ${own} are skipped rather than written twice, and ${own} is committed again`,
      {
        topic: partition.topic,
        partition: partition.partition,
        reported: groupCommitted,
        committed: own,
      },
    );
    this.#floors.set(key, own);
    return own;
  }

  /** A transaction of the partition committed, carrying `nextOffset`. */
  committed(key: string, nextOffset: number): void {
    this.#committed.set(key, nextOffset);
    if (!this.#floors.has(key)) return;
    this.#floors.set(key, nextOffset);
    this.#raised.add(key);
  }

  /**
   * The batch of the partition starts at `first`: below the floor, the consumer's position went
   * back without a seek. Said once per batch that does; its records below the floor are skipped.
   */
  checkStart(key: string, partition: TopicPartition, first: number): void {
    const floor = this.#floors.get(key);
    if (floor === undefined || first >= floor || !this.#raised.has(key)) return;
    this.#logger.warn(
      `the consumer's position of partition ${partition.partition} of "${partition.topic}" went back from ${floor} to ${first} without a seek; the records below ${floor}, committed already, are skipped`,
      { topic: partition.topic, partition: partition.partition, from: floor, to: first },
    );
  }

  /** A new assignment: every partition reads its floor again. */
  clear(): void {
    this.#floors.clear();
    this.#raised.clear();
  }

  /** The partition left the member (an incremental rebalance): read again if it comes back. */
  forget(key: string): void {
    this.#floors.delete(key);
    this.#raised.delete(key);
  }

  /** An explicit seek: nothing is skipped until the next assignment reads the floor again. */
  drop(key: string): void {
    this.#floors.set(key, undefined);
    this.#committed.delete(key);
    this.#raised.delete(key);
  }
}
