import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class UnknownTopicError extends StreamwiseError {
  static override readonly code = ErrorCodes.UNKNOWN_TOPIC;

  readonly topic: string;

  constructor(topic: string) {
    super(
      ErrorCodes.UNKNOWN_TOPIC,
      `Topic "${topic}" does not exist. Declare it with defineTopic() and use it from a service (the app creates the topics its services use), or create it with the CLI.`,
    );
    this.topic = topic;
  }
}
