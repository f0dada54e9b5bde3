import type { Consumer } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { answerMissingNodes } from './missing-node-lookup';

export interface GroupLossWatch {
  /**
   * A classic-protocol member, whose client stops heartbeating after an error. Not a KIP-848
   * member: its heartbeats go through a link of its own that finds a moved coordinator again
   * (group-coordinator-link.ts).
   */
  readonly classic: boolean;
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
 * heartbeat, commit and re-join goes to it. A heartbeat that fails without asking for a re-join
 * also stops the heartbeats for good (1.x clears the timer and never sets it again), so the
 * coordinator that took over evicts the member after the session timeout and the consumer never
 * notices: an exactly-once commit is then refused (UNKNOWN_MEMBER_ID) forever. And once the node
 * is gone from the cluster's metadata the client looks it up, finds nothing and throws from
 * inside a network callback, so a commit never settles and a stop waits for it forever
 * (test/faults/node-failover).
 *
 * So a classic member is lost at its first failed heartbeat, or when the coordinator's node is
 * missing from the metadata (the lookup now answers with a retriable error instead of throwing);
 * any member on 'error'. A new consumer finds the coordinator again.
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
  if (!watch.classic) return;

  answerMissingNodes(consumer, () => {
    const error = new TransportError(
      `Kafka: the coordinator of group "${consumer.groupId}", node ${consumer.coordinatorId}, is no longer in the cluster; a new consumer finds the one that took over.`,
      { retriable: true },
    );
    lose(error);
    return error;
  });
  consumer.on('consumer:heartbeat:error', ({ error }) => {
    lose(
      new TransportError(
        `Kafka: a heartbeat of group "${consumer.groupId}" failed (${error.message}) and the client sends no more; a new consumer joins in its place.`,
        { retriable: true },
      ),
    );
  });
}
