import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class InvalidTopicDefinitionError extends StreamwiseError {
  static override readonly code = ErrorCodes.INVALID_TOPIC_DEFINITION;

  constructor(topic: string, problem: string) {
    super(ErrorCodes.INVALID_TOPIC_DEFINITION, `defineTopic(${JSON.stringify(topic)}): ${problem}`);
  }
}
