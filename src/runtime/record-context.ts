import type { DecodedRecord } from '../codec/decode-key';
import type { Logger } from '../logging/logger';
import type { EventContext } from '../model/service/event-context';
import { readEnvelope } from '../model/topics/envelope-header';
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
  readonly eventId: string | undefined;
  readonly producer: string | undefined;
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
    const envelope = readEnvelope(record.headers);
    this.eventId = envelope?.eventId;
    this.producer = envelope?.producer;
    this.attempt = attempt;
    this.#parent = parent;
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
