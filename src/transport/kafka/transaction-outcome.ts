import type { LogFields, Logger } from '../../logging/logger';
import { type RedeliveryBackoff, redeliveryDelayMs } from '../redelivery-backoff';
import { errorMessage } from './kafka-errors';

/** Waits between attempts to learn a transaction's outcome: a coordinator moving takes seconds. */
const SETTLE_BACKOFF: RedeliveryBackoff = { initialMs: 100, maxMs: 2_000 };

export interface UnknownOutcome {
  /** The input position the transaction carried. */
  readonly nextOffset: number;
  /** Why its commit seemed to fail. */
  readonly error: unknown;
  /** The member still holds the partition (not released, fenced or closed). */
  readonly holds: () => boolean;
  /**
   * Re-creates the partition's transactional producer, then reads the group's committed offset.
   * InitProducerId waits for a committing transaction to complete and aborts an open one, so the
   * offset read after it is settled.
   */
  readonly settle: () => Promise<number | undefined>;
  readonly logger: Logger;
  readonly fields: LogFields;
}

/**
 * A commit failed after its EndTxn may have reached the coordinator (a timeout, a dropped
 * connection), so whether it committed is unknown, and handling its records again would write
 * their outputs twice if it did. Resolves true once the group's committed offset, read after the
 * outcome was settled, reaches the one the transaction carried; false once it is known not to, or
 * once the member no longer holds the partition: its next holder settles the outcome the same way
 * before it reads the committed offset. Until then the records wait: a coordinator may still be
 * moving to another node, and delivering them again after a first failed attempt would write
 * them twice whenever the transaction had committed.
 */
export async function learnWhetherCommitted(outcome: UnknownOutcome): Promise<boolean> {
  const { logger, fields } = outcome;
  for (let attempt = 1; outcome.holds(); attempt++) {
    try {
      const offset = await outcome.settle();
      const committed = offset !== undefined && offset >= outcome.nextOffset;
      if (committed) {
        logger.warn('a transaction whose commit seemed to fail had committed', {
          ...fields,
          error: errorMessage(outcome.error),
        });
      }
      return committed;
    } catch (error) {
      const retryInMs = redeliveryDelayMs(attempt, SETTLE_BACKOFF);
      if (attempt === 1) {
        logger.warn(
          'settling the outcome of a transaction failed; its records wait until it is known',
          { ...fields, error: errorMessage(error), retryInMs },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
  return false;
}
