import {
  type Connection,
  type ConnectionPool,
  consumerGroupHeartbeatV1,
  FindCoordinatorKeyTypes,
  findCoordinatorV6,
} from '@platformatic/kafka';

import { clientConnectionPool } from './client-connection-pool';
import type { ResolvedPlatformaticConfig } from './platformatic-config';

/**
 * A connection to the coordinator of one group, found with FindCoordinator and found again after
 * `forget()` (the coordinator moved). Heartbeats and commits of a KIP-848 member go through this
 * one connection, so the broker sees a commit before the heartbeat that gives its partitions up.
 */
export class GroupCoordinatorLink {
  readonly #groupId: string;
  readonly #pool: ConnectionPool;
  readonly #bootstrap: { host: string; port: number }[];
  #coordinator: Promise<{ connection: Connection; nodeId: number }> | undefined;

  constructor(config: ResolvedPlatformaticConfig, groupId: string) {
    this.#groupId = groupId;
    this.#pool = clientConnectionPool(config, 'member');
    this.#bootstrap = config.brokers.map((broker) => {
      const at = broker.lastIndexOf(':');
      return { host: broker.slice(0, at), port: Number(broker.slice(at + 1)) };
    });
  }

  async connection(): Promise<Connection> {
    return (await this.#found()).connection;
  }

  /** The coordinator's node id: a transactional producer sends the group's TxnOffsetCommit there. */
  async nodeId(): Promise<number> {
    return (await this.#found()).nodeId;
  }

  /** The coordinator did not answer as one: ask again next time. */
  forget(): void {
    this.#coordinator = undefined;
  }

  close(): Promise<void> {
    this.#coordinator = undefined;
    return this.#pool.close();
  }

  #found(): Promise<{ connection: Connection; nodeId: number }> {
    this.#coordinator ??= this.#find().catch((error: unknown) => {
      this.#coordinator = undefined;
      throw error;
    });
    return this.#coordinator;
  }

  async #find(): Promise<{ connection: Connection; nodeId: number }> {
    const bootstrap = await this.#pool.getFirstAvailable(this.#bootstrap);
    const response = await findCoordinatorV6.api.async(bootstrap, FindCoordinatorKeyTypes.GROUP, [
      this.#groupId,
    ]);
    const found = response.coordinators.find((entry) => entry.key === this.#groupId);
    if (found === undefined) throw new Error(`no coordinator for group "${this.#groupId}"`);
    const connection = await this.#pool.get({ host: found.host, port: found.port });
    return { connection, nodeId: found.nodeId };
  }
}

/**
 * A ConsumerGroupHeartbeat at member epoch -1 for `memberId`: the member leaves the group and the
 * broker hands its partitions to the others at once.
 */
export async function leaveConsumerGroup(
  connection: Connection,
  groupId: string,
  memberId: string,
): Promise<void> {
  await consumerGroupHeartbeatV1.api.async(
    connection,
    groupId,
    memberId,
    -1,
    null,
    null,
    -1,
    null,
    null,
    null,
    [],
  );
}
