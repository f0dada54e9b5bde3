import { StreamwiseError } from '../errors/streamwise-error';
import type { Logger } from '../logging/logger';
import { deadLetterTopicName } from '../model/topics/header-names';
import type { DeliveredRecord, RecordOutput } from '../transport/transport';
import type { DeadLetterInfo } from './dead-letter-record';
import { deadLetterRecord, reducedDeadLetterRecord } from './dead-letter-record';

/** How many dead letters a dispatcher wrote: `reduced` ones went without their value. */
export interface DeadLetterCounts {
  readonly full: number;
  readonly reduced: number;
}

/**
 * Writes dead letters so that none can block its partition: when the broker refuses the full
 * copy for good (MESSAGE_TOO_LARGE, say), a reduced one without the value is written instead.
 * Only a retriable failure (or a refused reduced copy) rejects, and the record is delivered again.
 */
export class DeadLetterWriter {
  readonly #logger: Logger;
  #full = 0;
  #reduced = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get counts(): DeadLetterCounts {
    return { full: this.#full, reduced: this.#reduced };
  }

  async write(record: DeliveredRecord, output: RecordOutput, info: DeadLetterInfo): Promise<void> {
    const topic = deadLetterTopicName(record.topic);
    try {
      // Sent at once: a refusal must reach this catch, not a later batch commit.
      await output.produce(topic, [deadLetterRecord(record, info)], { flush: true });
      this.#full++;
      return;
    } catch (error) {
      // Retrying a refusal that is not retriable would hold the partition forever.
      if (!(error instanceof StreamwiseError) || error.retriable) throw error;
      await output.produce(topic, [reducedDeadLetterRecord(record, info, error)], { flush: true });
      this.#reduced++;
      this.#logger.error(
        'dead-letter copy refused; wrote a reduced dead letter without the value',
        {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          deadLetterTopic: topic,
          valueBytes: record.value?.length ?? 0,
          reducedDeadLetters: this.#reduced,
          error,
        },
      );
    }
  }
}
