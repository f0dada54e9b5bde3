import type { Logger } from '../../logging/logger';
import type { RecordHeaders } from '../../transport/transport';

/** Where the record being handled came from, and how often it has been tried. */
export interface EventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record key as decoded by the topic's key serde. */
  readonly key: string | number | undefined;
  readonly timestamp: number;
  readonly headers: RecordHeaders;
  /** The event id of the record's envelope, e.g. orders-service-Order-1234-v3, when the producer set one. */
  readonly eventId: string | undefined;
  /** The service that produced the record (the envelope's producer), when known. */
  readonly producer: string | undefined;
  /** 1 on the first attempt, 2 on the first retry, and so on. */
  readonly attempt: number;
  readonly logger: Logger;
}
