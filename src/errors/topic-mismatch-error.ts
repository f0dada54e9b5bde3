import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** The broker's topic differs from its definition in a way that changes partitioning or retention. */
export class TopicMismatchError extends StreamwiseError {
  static override readonly code = ErrorCodes.TOPIC_MISMATCH;

  constructor(topic: string, problem: string) {
    super(
      ErrorCodes.TOPIC_MISMATCH,
      `Topic "${topic}" on the broker does not match its definition: ${problem}. Fix the definition, or migrate the topic (a new topic name or version) — changing partitions in place would move keys.`,
    );
  }
}
