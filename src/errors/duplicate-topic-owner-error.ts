import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class DuplicateTopicOwnerError extends StreamwiseError {
  static override readonly code = ErrorCodes.DUPLICATE_TOPIC_OWNER;

  readonly topic: string;
  readonly owners: readonly string[];

  constructor(topic: string, owners: readonly string[]) {
    super(
      ErrorCodes.DUPLICATE_TOPIC_OWNER,
      `Topic "${topic}" is claimed by ${owners.map((o) => `"${o}"`).join(' and ')}: a topic has a single writer. Keep @OwnsTopic(${topic}) on one service and have the others call it.`,
    );
    this.topic = topic;
    this.owners = owners;
  }
}
