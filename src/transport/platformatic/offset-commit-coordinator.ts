import type { Producer } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import { GroupCoordinatorLink } from './group-coordinator-link';
import type { ResolvedPlatformaticConfig } from './platformatic-config';

/**
 * The node a transaction's TxnOffsetCommit goes to: the group's coordinator as it is now, found
 * with FindCoordinator and found again after a failed commit (`forget`).
 *
 * Not the node the consumer found when it joined: @platformatic/kafka's consumer keeps that for
 * its life, so after the coordinator's node went down every commit would go to it. And not a node
 * the producer does not know: the client looks the node up in the producer's metadata and, when
 * it is missing (a node that went away is), throws from inside a network callback, so the
 * transaction would never settle and the subscription would hang (test/faults/node-failover).
 */
export class OffsetCommitCoordinator {
  readonly #link: GroupCoordinatorLink;
  readonly #groupId: string;

  constructor(config: ResolvedPlatformaticConfig, groupId: string) {
    this.#link = new GroupCoordinatorLink(config, groupId);
    this.#groupId = groupId;
  }

  /** The coordinator's node id, known to `producer` (whose metadata `topic` refreshes). */
  async nodeFor(producer: Producer, topic: string): Promise<number> {
    const nodeId = await this.#link.nodeId();
    for (const forceUpdate of [false, true]) {
      const { brokers } = await producer.metadata({ topics: [topic], forceUpdate });
      if (brokers.has(nodeId)) return nodeId;
    }
    this.#link.forget();
    throw new TransportError(
      `Kafka: the coordinator of group "${this.#groupId}", node ${nodeId}, is not among the brokers the cluster's metadata lists (it moved or went down); the transaction is aborted and its records are handled again once the coordinator is found.`,
      { retriable: true },
    );
  }

  /** A commit failed: the coordinator may have moved, so the next one asks again. */
  forget(): void {
    this.#link.forget();
  }

  close(): Promise<void> {
    return this.#link.close();
  }
}
