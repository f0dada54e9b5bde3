import { assignPartitions } from '../assign-partitions';
import type { TopicPartition } from '../transport';

/** What the group needs from each member to run a rebalance. */
export interface GroupMember {
  readonly memberId: string;
  readonly topics: readonly string[];
  /** Finish in-flight records, commit, stop fetching, then tell the user (onRevoked). */
  revokeAll(): Promise<void>;
  /** Take the new assignment: tell the user (onAssigned), then start fetching. */
  assign(partitions: readonly TopicPartition[]): Promise<void>;
}

/**
 * A consumer group's coordinator: members, committed offsets and rebalances. Rebalances are
 * eager (every member gives up everything, then the new assignment is handed out) and run one at
 * a time, so a partition is never consumed by two members at once.
 */
export class MemoryGroup {
  readonly groupId: string;
  readonly #members = new Map<string, GroupMember>();
  readonly #committed = new Map<string, number[]>();
  #queue: Promise<void> = Promise.resolve();
  #generation = 0;

  constructor(groupId: string) {
    this.groupId = groupId;
  }

  get generation(): number {
    return this.#generation;
  }

  get memberCount(): number {
    return this.#members.size;
  }

  join(member: GroupMember, partitionCounts: () => ReadonlyMap<string, number>): Promise<void> {
    this.#members.set(member.memberId, member);
    return this.#rebalance(partitionCounts, []);
  }

  leave(member: GroupMember, partitionCounts: () => ReadonlyMap<string, number>): Promise<void> {
    return this.#rebalance(partitionCounts, [member]);
  }

  committed(topic: string, partition: number): number | undefined {
    return this.#committed.get(topic)?.[partition];
  }

  committedFor(topic: string, partitions: number): (number | undefined)[] {
    const stored = this.#committed.get(topic) ?? [];
    return Array.from({ length: partitions }, (_, p) => stored[p]);
  }

  /** Kafka's coordinator drops a deleted topic's offsets, so a re-created topic starts afresh. */
  forgetTopic(topic: string): void {
    this.#committed.delete(topic);
  }

  commit(topic: string, partition: number, offset: number): void {
    const offsets = this.#committed.get(topic) ?? [];
    offsets[partition] = offset;
    this.#committed.set(topic, offsets);
  }

  #rebalance(
    partitionCounts: () => ReadonlyMap<string, number>,
    leaving: readonly GroupMember[],
  ): Promise<void> {
    const run = async (): Promise<void> => {
      const everyone = [...this.#members.values()];
      await Promise.all(everyone.map((member) => member.revokeAll()));
      for (const member of leaving) this.#members.delete(member.memberId);
      this.#generation++;
      const members = [...this.#members.values()];
      const assignment = assignPartitions(members, partitionCounts());
      await Promise.all(members.map((m) => m.assign(assignment.get(m.memberId) ?? [])));
    };
    const next = this.#queue.then(run);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
