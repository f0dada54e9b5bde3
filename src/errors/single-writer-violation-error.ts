import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A service tried to write a topic it does not own. Raised before anything is sent. */
export class SingleWriterViolationError extends StreamwiseError {
  static override readonly code = ErrorCodes.SINGLE_WRITER_VIOLATION;

  readonly topic: string;
  readonly service: string;
  readonly owner: string | undefined;

  constructor(topic: string, service: string, owner: string | undefined) {
    const ownerText =
      owner === undefined
        ? `no service in this app owns it, and "${service}" does not declare @OwnsTopic(${topic})`
        : `its single writer is "${owner}"`;
    const fix =
      owner === undefined
        ? `If "${service}" should be the writer, add the topic to its @OwnsTopic; otherwise call the owning service and let the change propagate back through "${topic}".`
        : `Call "${owner}" (for example its command endpoint) and let the change propagate back through "${topic}".`;
    super(
      ErrorCodes.SINGLE_WRITER_VIOLATION,
      `Service "${service}" may not publish to topic "${topic}": ${ownerText}. Nothing was sent. ${fix}`,
    );
    this.topic = topic;
    this.service = service;
    this.owner = owner;
  }
}
