import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A consumed record has no producer in its envelope and its topic's policy is 'dead-letter'. */
export class UnsignedRecordError extends StreamwiseError {
  static override readonly code = ErrorCodes.UNSIGNED_RECORD;

  constructor(topic: string) {
    super(
      ErrorCodes.UNSIGNED_RECORD,
      `Record on "${topic}" has no producer (no sw-envelope nor sw-producer header), so its writer is unknown, and the topic's unsignedRecords policy is 'dead-letter'. Write "${topic}" through its owning streamwise service, or set unsignedRecords: 'accept' or 'warn' on the topic (defineTopic) or the app.`,
    );
  }
}
