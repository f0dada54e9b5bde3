import { StreamwiseError } from '../errors/streamwise-error';
import type { Logger } from '../logging/logger';
import { RateLimitedLog } from '../logging/rate-limited-log';
import { deadLetterTopicName } from '../model/topics/header-names';
import type { DeliveredRecord, RecordOutput } from '../transport/transport';
import type { DeadLetterInfo } from './dead-letter-record';
import { deadLetterRecord, reducedDeadLetterRecord } from './dead-letter-record';

/** How many dead letters a dispatcher wrote: `reduced` ones went without their value. */
export interface DeadLetterCounts {
  readonly full: number;
  readonly reduced: number;
}

/** The error's code (a StreamwiseError's, or a Node or client code), else its class name. */
function errorCode(error: unknown): string {
  if (error instanceof StreamwiseError) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Writes dead letters so that none can block its partition: when the broker refuses the full
 * copy for good (MESSAGE_TOO_LARGE, say), a reduced one without the value is written instead.
 * Only a retriable failure (or a refused reduced copy) rejects, and the record is delivered again.
 * Each dead letter logs one warn line; under a flood, one per topic and reason every 10 s and a
 * summary of how many more there were.
 */
export class DeadLetterWriter {
  readonly #logger: Logger;
  readonly #log: RateLimitedLog;
  #full = 0;
  #reduced = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#log = new RateLimitedLog(logger);
  }

  /** Writes the summary of dead letters not logged yet (at stop). */
  flushLog(): void {
    this.#log.flush();
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
      this.#logWritten(record, info, topic);
      return;
    } catch (error) {
      // Retrying a refusal that is not retriable would hold the partition forever.
      if (!(error instanceof StreamwiseError) || error.retriable) throw error;
      await output.produce(topic, [reducedDeadLetterRecord(record, info, error)], { flush: true });
      this.#reduced++;
      this.#logWritten(record, info, topic);
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

  #logWritten(record: DeliveredRecord, info: DeadLetterInfo, deadLetterTopic: string): void {
    this.#log.warn(
      `${record.topic}\u0000${info.reason}`,
      'record dead-lettered',
      () => ({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        reason: info.reason,
        code: errorCode(info.error),
        message: info.error instanceof Error ? info.error.message : String(info.error),
        ...(info.handler === undefined ? {} : { handler: info.handler }),
        attempts: info.attempts,
        deadLetterTopic,
      }),
      (repeated, seconds) =>
        `${repeated} more dead letters on ${record.topic} (${info.reason}) in the last ${seconds}s`,
    );
  }
}
