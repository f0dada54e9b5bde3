import { type Broker, type Consumer, kGetConnection } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';

export interface GroupLossWatch {
  /**
   * Classic protocol: the session timeout, after which failing heartbeats mean the member is
   * evicted. Undefined for a KIP-848 member, whose heartbeats go through a link of its own that
   * finds a moved coordinator again (group-coordinator-link.ts).
   */
  readonly heartbeatsFor: number | undefined;
  readonly logger: Logger;
  /** Called at most once: the owner replaces the consumer. */
  readonly onLost: (error: Error) => void;
}

/**
 * Tells when a consumer of @platformatic/kafka 1.x can no longer reach its group, and is the
 * listener its 'error' event (a re-join that failed for good) needs not to crash the process.
 *
 * The classic consumer finds the group coordinator once and keeps its node id for its life (2.x
 * forgets it after a coordinator error, but needs Node 22). When that node goes down, every
 * heartbeat, commit and re-join goes to it: heartbeats fail for good, the coordinator that took
 * over evicts the member, and the consumer never notices. Worse, once the node is gone from the
 * cluster's metadata the client looks it up, finds nothing and throws from inside a network
 * callback, so a commit never settles and a stop waits for it forever (test/faults/node-failover).
 *
 * So the member is lost when the coordinator's node is missing from the metadata (the lookup
 * now answers with a retriable error instead of throwing), when heartbeats have failed for a
 * whole session timeout (the member is evicted by then: leaving loses nothing), or on 'error'.
 * A new consumer finds the coordinator again.
 */
export function watchGroupLoss(consumer: Consumer, watch: GroupLossWatch): void {
  let lost = false;
  const lose = (error: Error): void => {
    if (lost) return;
    lost = true;
    watch.logger.error('the consumer lost its group membership', { error: error.message });
    watch.onLost(error);
  };
  consumer.on('error', lose);
  const sessionTimeoutMs = watch.heartbeatsFor;
  if (sessionTimeoutMs === undefined) return;

  const getConnection = consumer[kGetConnection].bind(consumer);
  consumer[kGetConnection] = (broker: Broker | undefined, callback) => {
    if (broker !== undefined) {
      getConnection(broker, callback);
      return;
    }
    const error = new TransportError(
      `Kafka: the coordinator of group "${consumer.groupId}", node ${consumer.coordinatorId}, is no longer in the cluster; a new consumer finds the one that took over.`,
      { retriable: true },
    );
    lose(error);
    callback(error);
  };

  let failingSince: number | undefined;
  consumer.on('consumer:heartbeat:end', () => {
    failingSince = undefined;
  });
  consumer.on('consumer:heartbeat:error', ({ error }) => {
    const now = Date.now();
    failingSince ??= now;
    if (now - failingSince < sessionTimeoutMs) return;
    lose(
      new TransportError(
        `Kafka: the heartbeats of group "${consumer.groupId}" have failed for ${now - failingSince} ms, longer than the session timeout (last: ${error.message}); a new consumer finds the group coordinator again.`,
        { retriable: true },
      ),
    );
  });
}
