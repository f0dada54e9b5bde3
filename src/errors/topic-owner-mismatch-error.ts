import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A service declares @OwnsTopic on a topic whose definition names another service as owner. */
export class TopicOwnerMismatchError extends StreamwiseError {
  static override readonly code = ErrorCodes.TOPIC_OWNER_MISMATCH;

  readonly topic: string;
  readonly definedOwner: string;
  readonly claimant: string;

  constructor(topic: string, definedOwner: string, claimant: string) {
    super(
      ErrorCodes.TOPIC_OWNER_MISMATCH,
      `Topic "${topic}" is defined with owner "${definedOwner}", but "${claimant}" declares @OwnsTopic(${topic}): a topic has a single writer. Remove @OwnsTopic(${topic}) from "${claimant}" and have it call "${definedOwner}", or change the topic's defineTopic({ owner }) to "${claimant}".`,
    );
    this.topic = topic;
    this.definedOwner = definedOwner;
    this.claimant = claimant;
  }
}
