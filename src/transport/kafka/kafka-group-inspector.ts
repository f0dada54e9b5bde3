import { type Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';

import type { TopicPartition } from '../transport';
import { resolveKafkaConfig } from './kafka-config';
import { kafkaClientConfig } from './kafka-connection';
import type { KafkaTransportOptions } from './kafka-options';

export interface GroupSummary {
  readonly groupId: string;
  /** "consumer" for consumer groups; Connect and others use their own. */
  readonly protocolType: string;
}

export interface GroupMemberView {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignment: readonly TopicPartition[];
}

export interface CommittedOffset extends TopicPartition {
  readonly offset: number;
}

export interface GroupView {
  readonly groupId: string;
  /** The coordinator's state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string;
  readonly members: readonly GroupMemberView[];
  /** Every partition the group has committed on, in topic and partition order. */
  readonly committed: readonly CommittedOffset[];
}

/**
 * Consumer groups as the CLI shows them (list, members and their partitions, committed offsets)
 * over an admin of its own: the transport's admin deliberately does not touch groups by topic.
 */
export class KafkaGroupInspector {
  readonly #admin: Admin;

  private constructor(admin: Admin) {
    this.#admin = admin;
  }

  static async open(options: KafkaTransportOptions): Promise<KafkaGroupInspector> {
    const config = resolveKafkaConfig(options);
    const kafka = new Kafka({ ...kafkaClientConfig(config), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    return new KafkaGroupInspector(admin);
  }

  close(): Promise<void> {
    return this.#admin.disconnect();
  }

  async listGroups(): Promise<GroupSummary[]> {
    const { groups } = await this.#admin.listGroups();
    return groups
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /** undefined when the coordinator knows no such group and it has no committed offsets. */
  async describeGroup(groupId: string): Promise<GroupView | undefined> {
    const [{ groups }, offsets] = await Promise.all([
      this.#admin.describeGroups([groupId]),
      this.#admin.fetchOffsets({ groupId }),
    ]);
    const description = groups.find((g) => g.groupId === groupId);
    const committed = offsets
      .flatMap(({ topic, partitions }) =>
        partitions
          .filter((p) => Number(p.offset) >= 0)
          .map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
      )
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const state = description?.state ?? 'Dead';
    if (state === 'Dead' && committed.length === 0) return undefined;
    const members = (description?.members ?? []).map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      host: member.clientHost,
      assignment: decodeAssignment(member.memberAssignment),
    }));
    return { groupId, state, members, committed };
  }

  /** Removes a group that has no members (the CLI's own throwaway readers). */
  async deleteGroup(groupId: string): Promise<void> {
    await this.#admin.deleteGroups([groupId]);
  }
}

function decodeAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
  return Object.entries(decoded?.assignment ?? {})
    .flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
