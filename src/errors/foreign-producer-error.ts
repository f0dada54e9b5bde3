import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A consumed record was written by a service other than the topic's declared owner. */
export class ForeignProducerError extends StreamwiseError {
  static override readonly code = ErrorCodes.FOREIGN_PRODUCER;

  constructor(topic: string, producer: string, owner: string) {
    super(
      ErrorCodes.FOREIGN_PRODUCER,
      `Record on "${topic}" was produced by "${producer}", but the topic's single writer is "${owner}". Find the service writing "${topic}" and route its change through "${owner}"; restrict writes with the generated ACLs.`,
    );
  }
}
