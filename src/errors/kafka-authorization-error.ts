import { ErrorCodes } from './error-codes';
import { TransportError } from './transport-error';

/** What the broker refused: `kafkaErrorType` is Kafka's own name, e.g. TOPIC_AUTHORIZATION_FAILED. */
export interface KafkaAuthorizationDetails {
  readonly kafkaErrorType: string;
  /** "User:billing", or undefined when the client does not know its login. */
  readonly principal: string | undefined;
  /** The ACL operation missing, e.g. WRITE. */
  readonly operation: string;
  /** e.g. `topic "orders"`, `group "billing"`, `the cluster`. */
  readonly resource: string;
}

/**
 * The broker's authorizer refused an operation: a missing ACL. Never retriable (the same request
 * fails the same way until someone grants the ACL), so nothing waits or loops on it; the message
 * says who lacks what on which resource and how to grant it.
 */
export class KafkaAuthorizationError extends TransportError {
  static override readonly code = ErrorCodes.KAFKA_AUTHORIZATION;

  readonly kafkaErrorType: string;
  readonly principal: string | undefined;
  readonly operation: string;
  readonly resource: string;

  constructor(message: string, details: KafkaAuthorizationDetails, cause?: unknown) {
    super(message, { retriable: false, cause }, ErrorCodes.KAFKA_AUTHORIZATION);
    this.kafkaErrorType = details.kafkaErrorType;
    this.principal = details.principal;
    this.operation = details.operation;
    this.resource = details.resource;
  }
}
