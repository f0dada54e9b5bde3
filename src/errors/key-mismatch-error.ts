import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A consumed record's key does not belong where it is: no key on a keyed topic, a key that does
 * not hash to the record's partition, or a key other than the one the topic's key function gives
 * for its value. Handling it would put state and order for that key on the wrong partition.
 */
export class KeyMismatchError extends StreamwiseError {
  static override readonly code = ErrorCodes.KEY_MISMATCH;

  constructor(topic: string, partition: number, problem: string) {
    super(
      ErrorCodes.KEY_MISMATCH,
      `Record on "${topic}" partition ${partition}: ${problem}. Producers outside streamwise must key every record with the topic's key and use Kafka's Java-compatible murmur2 partitioner (librdkafka: partitioner=murmur2_random).`,
    );
  }
}
