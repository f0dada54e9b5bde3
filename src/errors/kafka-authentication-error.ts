import { ErrorCodes } from './error-codes';
import { TransportError } from './transport-error';

/**
 * The broker refused the SASL login (wrong username, password or mechanism). Never retriable;
 * the message never holds the password.
 */
export class KafkaAuthenticationError extends TransportError {
  static override readonly code = ErrorCodes.KAFKA_AUTHENTICATION;

  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause }, ErrorCodes.KAFKA_AUTHENTICATION);
  }
}
