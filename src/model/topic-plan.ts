import { DuplicateTopicOwnerError } from '../errors/duplicate-topic-owner-error';
import { TopicOwnerMismatchError } from '../errors/topic-owner-mismatch-error';
import { MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes } from '../transport/record-batch-size';
import type { TopicSpec } from '../transport/transport';
import { changelogSpecs, changelogTopicName } from './changelog-topic';
import {
  INSTANCE_CLAIMS_GROUP_PREFIX,
  replicaGroupName,
  restoreGroupPrefix,
  tableFeederGroupPrefix,
} from './consumer-group-names';
import { replicaTopics } from './service/replica-metadata';
import { hasRoutedQueries } from './service/routed-queries';
import type { ServiceDescription } from './service/service-description';
import { deadLetterTopicName } from './topics/header-names';
import type { TopicDefinition } from './topics/topic-definition';

/**
 * Room a dead-letter topic keeps above its source's max.message.bytes for the sw-dlq-* headers
 * (their messages are cut to a few KB): generous, so a record its source took is never refused.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 1_048_576;

/**
 * The topics an app needs: every topic its services own or read, and a dead-letter topic (same
 * partition count, never compacted, max.message.bytes above its source's) for every topic a
 * handler or replica reads, and the compacted changelog of every @State store.
 */
export function planTopics(services: readonly ServiceDescription[]): TopicSpec[] {
  const specs = new Map<string, TopicSpec>();
  const add = (spec: TopicSpec): void => {
    if (!specs.has(spec.name)) specs.set(spec.name, spec);
  };
  const specOf = (topic: TopicDefinition): TopicSpec => ({
    name: topic.name,
    partitions: topic.partitions,
    compacted: topic.compacted,
    config: topic.config,
  });
  for (const service of services) {
    for (const topic of [...service.owns, ...service.consumes]) add(specOf(topic));
    for (const changelog of changelogSpecs(service)) add(changelog);
    for (const topic of [
      ...service.handlers.map((h) => h.topic),
      ...service.replicas.flatMap((r) => replicaTopics(r)),
    ]) {
      add({
        name: deadLetterTopicName(topic.name),
        partitions: topic.partitions,
        compacted: false,
        config: {
          [MAX_MESSAGE_BYTES_CONFIG]: String(
            maxMessageBytes(topic.config) + DEAD_LETTER_HEADROOM_BYTES,
          ),
        },
      });
    }
  }
  return [...specs.values()];
}

/** What planOwners needs of a service: its name, what it owns, and what it reads. */
export interface OwnershipClaims {
  readonly name: string;
  readonly owns: readonly { readonly name: string; readonly owner?: string }[];
  readonly consumes?: readonly { readonly name: string; readonly owner?: string }[];
}

/**
 * The single writer of every topic the services own or read (principle 5): from each topic's
 * definition (`defineTopic({ owner })`, the same in every app), @OwnsTopic, and `overrides` (the
 * app option `owners`, for topics defined without an owner elsewhere), which replace a definition's
 * owner. Throws TopicOwnerMismatchError when @OwnsTopic contradicts the definition, and
 * DuplicateTopicOwnerError when two services claim one topic.
 */
export function planOwners(
  services: readonly OwnershipClaims[],
  overrides: Readonly<Record<string, string>> = {},
): Map<string, string> {
  const claims = new Map<string, string[]>();
  const claim = (topic: string, owner: string): void => {
    const claimants = claims.get(topic) ?? [];
    if (!claimants.includes(owner)) claimants.push(owner);
    claims.set(topic, claimants);
  };
  for (const [topic, owner] of Object.entries(overrides)) claim(topic, owner);
  for (const service of services) {
    for (const topic of [...service.owns, ...(service.consumes ?? [])]) {
      if (topic.owner !== undefined && !Object.hasOwn(overrides, topic.name)) {
        claim(topic.name, topic.owner);
      }
    }
  }
  for (const service of services) {
    for (const topic of service.owns) {
      if (topic.owner !== undefined && topic.owner !== service.name) {
        throw new TopicOwnerMismatchError(topic.name, topic.owner, service.name);
      }
      claim(topic.name, service.name);
    }
  }
  const owners = new Map<string, string>();
  for (const [topic, claimants] of claims) {
    if (claimants.length > 1) throw new DuplicateTopicOwnerError(topic, claimants);
    owners.set(topic, claimants[0]);
  }
  return owners;
}

/** The compacted topic where instances claim partitions for key-routed queries. */
export const INSTANCE_CLAIMS_TOPIC = '_streamwise-instances';

/**
 * What one service does on the broker: its consumer group, the topics it writes and reads, and
 * the transactional ids it uses. The app creates topics from the same description (planTopics),
 * and `streamwise acls` turns it into broker ACLs (planAcls), so the two cannot drift apart.
 */
export interface ServicePlan {
  readonly service: string;
  /** The consumer group every instance joins: the service name. */
  readonly group: string;
  /** Owned topics, its store changelogs and the dead-letter topics of what it handles and replicates. */
  readonly writes: readonly string[];
  /** Handled and materialized topics, and its own changelogs (restored at assignment). */
  readonly reads: readonly string[];
  /**
   * With exactlyOnce, the prefix of its transactional ids: on KafkaTransport one per input
   * partition, `<group>-<topic>-<partition>` (its exactly-once processor); on
   * PlatformaticKafkaTransport one per subscription instance, `<group>-<random uuid>`.
   */
  readonly transactionalIdPrefix: string | undefined;
  /**
   * Prefixes of the other groups it reads with (each start adds a unique suffix): the restores of
   * its changelogs and partitioned tables, its global tables' feeders, the partition claims; and
   * the fixed group of each of its replicas.
   */
  readonly groupPrefixes: readonly string[];
  /** The topics the app checks (describe, configs) and creates if missing when it starts. */
  readonly creates: readonly string[];
}

export function planService(description: ServiceDescription): ServicePlan {
  const changelogs = [...description.stores, ...description.windowedStores].map((store) =>
    changelogTopicName(description.name, store.name),
  );
  const routed = hasRoutedQueries(description);
  const claims = routed ? [INSTANCE_CLAIMS_TOPIC] : [];
  return {
    service: description.name,
    group: description.name,
    writes: unique([
      ...description.owns.map((topic) => topic.name),
      ...changelogs,
      ...[
        ...description.handlers.map((h) => h.topic),
        ...description.replicas.flatMap((r) => replicaTopics(r)),
      ].map((topic) => deadLetterTopicName(topic.name)),
      ...claims,
    ]),
    reads: unique([...description.consumes.map((topic) => topic.name), ...changelogs, ...claims]),
    transactionalIdPrefix:
      description.options.exactlyOnce === true ? `${description.name}-` : undefined,
    groupPrefixes: unique([
      ...changelogs.map(restoreGroupPrefix),
      ...description.materialized
        .filter((table) => table.mode === 'partitioned')
        .map((table) => restoreGroupPrefix(table.topic.name)),
      ...(description.materialized.some((table) => table.mode === 'global')
        ? [tableFeederGroupPrefix(description.name)]
        : []),
      ...(routed ? [INSTANCE_CLAIMS_GROUP_PREFIX] : []),
      ...description.replicas.map((replica) => replicaGroupName(description.name, replica.table)),
    ]),
    creates: unique([...planTopics([description]).map((spec) => spec.name), ...claims]),
  };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
