import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

export class SerializationError extends StreamwiseError {
  static override readonly code = ErrorCodes.SERIALIZATION;

  constructor(topic: string, part: 'key' | 'value', reason: string, cause?: unknown) {
    super(
      ErrorCodes.SERIALIZATION,
      `Cannot encode the ${part} for "${topic}": ${reason}. Nothing was sent.`,
      { cause },
    );
  }
}
