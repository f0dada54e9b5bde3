import { DuplicateTopicOwnerError } from '../errors/duplicate-topic-owner-error';
import { SingleWriterViolationError } from '../errors/single-writer-violation-error';

/**
 * Who may write which topic (principle 5). Built from the @OwnsTopic of every service in the app,
 * plus owners of topics whose writer runs elsewhere (so consumers can check the producer header).
 */
export class TopicWriters {
  readonly #owners = new Map<string, string>();

  /** Throws DuplicateTopicOwnerError when two services claim one topic. */
  static build(
    services: readonly {
      readonly name: string;
      readonly owns: readonly { readonly name: string }[];
    }[],
    externalOwners: Readonly<Record<string, string>> = {},
  ): TopicWriters {
    const claims = new Map<string, string[]>();
    for (const [topic, owner] of Object.entries(externalOwners)) claims.set(topic, [owner]);
    for (const service of services) {
      for (const topic of service.owns) {
        const claimants = claims.get(topic.name) ?? [];
        if (!claimants.includes(service.name)) claimants.push(service.name);
        claims.set(topic.name, claimants);
      }
    }
    const registry = new TopicWriters();
    for (const [topic, claimants] of claims) {
      if (claimants.length > 1) throw new DuplicateTopicOwnerError(topic, claimants);
      registry.#owners.set(topic, claimants[0]);
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
