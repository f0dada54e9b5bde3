import { SingleWriterViolationError } from '../errors/single-writer-violation-error';
import type { Logger } from '../logging/logger';
import type { OwnershipClaims } from '../model/topic-plan';
import { planOwners } from '../model/topic-plan';

/**
 * Who may write which topic (principle 5): publishers are checked against it, and consumers check
 * the producer in each record's envelope against it, also for topics whose writer runs in another app.
 */
export class TopicWriters {
  readonly #owners = new Map<string, string>();

  /**
   * Owners from the topics' definitions, the services' @OwnsTopic and the app option `owners`
   * (see planOwners). Throws DuplicateTopicOwnerError or TopicOwnerMismatchError on conflicts.
   */
  static build(
    services: readonly OwnershipClaims[],
    externalOwners: Readonly<Record<string, string>> = {},
  ): TopicWriters {
    const registry = new TopicWriters();
    for (const [topic, owner] of planOwners(services, externalOwners)) {
      registry.#owners.set(topic, owner);
    }
    return registry;
  }

  ownerOf(topic: string): string | undefined {
    return this.#owners.get(topic);
  }

  /** Throws SingleWriterViolationError unless `service` is the topic's owner. */
  assertCanWrite(service: string, topic: string): void {
    const owner = this.#owners.get(topic);
    if (owner !== service) throw new SingleWriterViolationError(topic, service, owner);
  }

  entries(): [topic: string, owner: string][] {
    return [...this.#owners.entries()].sort(([a], [b]) => a.localeCompare(b));
  }
}

/**
 * Warns once per topic a service reads whose single writer no app option or definition names:
 * its records are taken from any producer until the owner is known.
 */
export function warnUnownedTopics(
  writers: TopicWriters,
  consumes: readonly { readonly name: string }[],
  logger: Logger,
): void {
  for (const topic of consumes) {
    if (writers.ownerOf(topic.name) !== undefined) continue;
    logger.warn(
      `topic "${topic.name}" has no known owner, so records from any producer are handled: name its single writer in its definition, defineTopic({ name: '${topic.name}', owner: '<service>', ... }), or in the app option owners`,
      { topic: topic.name },
    );
  }
}
