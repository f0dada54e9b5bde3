import type { DecodedRecord } from '../codec/decode-key';
import type { Logger } from '../logging/logger';
import type { EventContext } from '../model/service/event-context';
import { envelopeField } from '../model/topics/envelope-header';
import type { DeliveredRecord } from '../transport/transport';

/**
 * The EventContext of one attempt. Its logger is built on first use: most handlers never log,
 * and a child logger per record was a measurable share of the memory transport's cost.
 */
export class RecordContext implements EventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | number | undefined;
  readonly timestamp: number;
  readonly headers: DeliveredRecord['headers'];
  readonly attempt: number;
  readonly #parent: Logger;
  #logger: Logger | undefined;

  constructor(record: DeliveredRecord, decoded: DecodedRecord, attempt: number, parent: Logger) {
    this.topic = record.topic;
    this.partition = record.partition;
    this.offset = record.offset;
    this.key = decoded.key;
    this.timestamp = record.timestamp;
    this.headers = record.headers;
    this.attempt = attempt;
    this.#parent = parent;
  }

  // Read from the envelope on first use, like the logger: most handlers never ask.
  get eventId(): string | undefined {
    return envelopeField(this.headers, 'eventId');
  }

  get producer(): string | undefined {
    return envelopeField(this.headers, 'producer');
  }

  get logger(): Logger {
    this.#logger ??= this.#parent.child({
      topic: this.topic,
      partition: this.partition,
      offset: this.offset,
    });
    return this.#logger;
  }
}
