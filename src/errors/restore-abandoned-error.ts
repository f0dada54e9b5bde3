import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A restore (a store's changelog, a partitioned view) was given up because its service is
 * stopping: its partitions were not taken into use, and the instance that gets them next
 * restores them from the start. Nothing to do; it only says why the restore ended early.
 */
export class RestoreAbandonedError extends StreamwiseError {
  static override readonly code = ErrorCodes.RESTORE_ABANDONED;

  readonly topic: string;

  constructor(topic: string) {
    super(
      ErrorCodes.RESTORE_ABANDONED,
      `Stopped restoring from "${topic}": the service is stopping. Its partitions were not used; whoever is assigned them next restores them again.`,
    );
    this.topic = topic;
  }
}
