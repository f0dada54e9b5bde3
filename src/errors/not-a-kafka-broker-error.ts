import { ErrorCodes } from './error-codes';
import { TransportError } from './transport-error';

/**
 * Something listens at a configured broker address but does not speak the Kafka protocol (an
 * HTTP server, a TLS listener reached without TLS, another service): waiting cannot help, so it
 * is never retriable and start-up fails at once instead of after its whole timeout.
 */
export class NotAKafkaBrokerError extends TransportError {
  static override readonly code = ErrorCodes.NOT_A_KAFKA_BROKER;

  /** The address as configured, e.g. `127.0.0.1:8080`. */
  readonly address: string;

  constructor(address: string, what: string) {
    super(
      `${address} is not a Kafka broker: ${what}. Point the brokers at a Kafka listener: KafkaTransport's \`brokers\` option, KAFKA_BROKERS, or the CLI's -b/--brokers (a TLS listener also needs the \`ssl\` option).`,
      { retriable: false },
      ErrorCodes.NOT_A_KAFKA_BROKER,
    );
    this.address = address;
  }
}
