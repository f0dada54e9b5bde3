import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A topic the broker does not show. With `secured` (a connection with a login), it may exist all
 * the same: a broker hides every topic a principal has no DESCRIBE ACL on.
 */
export class UnknownTopicError extends StreamwiseError {
  static override readonly code = ErrorCodes.UNKNOWN_TOPIC;

  readonly topic: string;

  constructor(topic: string, secured?: { readonly principal: string | undefined }) {
    const hidden =
      secured === undefined
        ? ''
        : ` On this secured connection a topic ${secured.principal ?? "this client's principal"} has no DESCRIBE ACL on looks missing too: if it exists, grant DESCRIBE (and READ or WRITE, as the service needs) on it; \`streamwise acls <services module>\` prints the ACLs every service needs.`;
    super(
      ErrorCodes.UNKNOWN_TOPIC,
      secured === undefined
        ? `Topic "${topic}" does not exist. Declare it with defineTopic() and use it from a service (the app creates the topics its services use), or create it with the CLI.`
        : `Topic "${topic}" does not exist, or is hidden from this client.${hidden}`,
    );
    this.topic = topic;
  }
}
