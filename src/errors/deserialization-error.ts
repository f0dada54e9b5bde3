import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A consumed record whose bytes cannot be decoded; it goes to the dead-letter topic at once. */
export class DeserializationError extends StreamwiseError {
  static override readonly code = ErrorCodes.DESERIALIZATION;

  constructor(topic: string, part: 'key' | 'value', reason: string, cause?: unknown) {
    super(
      ErrorCodes.DESERIALIZATION,
      `Cannot decode the ${part} of a record on "${topic}": ${reason}. The record was sent to "${topic}.dlq"; fix the producer, then replay it from there.`,
      { cause },
    );
  }
}
