import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A consumed record at an old schema version could not be brought to the topic's version. */
export class UpcastError extends StreamwiseError {
  static override readonly code = ErrorCodes.UPCAST_FAILED;

  readonly topic: string;
  readonly fromVersion: number;

  constructor(topic: string, fromVersion: number, problem: string, cause?: unknown) {
    super(
      ErrorCodes.UPCAST_FAILED,
      `Cannot upcast a record on "${topic}" from schema version ${fromVersion}: ${problem}. The record was sent to "${topic}.dlq"; add or fix the upcaster in defineTopic({ upcast: { ${fromVersion}: (old) => ... } }), then replay it from there.`,
      { cause },
    );
    this.topic = topic;
    this.fromVersion = fromVersion;
  }
}
