import type { DecodedRecord } from './decode-key';
import type { TopicSchema } from './schema/topic-schema';

/** A consumed record decoded, before validation and upcasting. */
export interface ReadRecord extends DecodedRecord {
  /** The schema version it was written at (from its envelope; the topic's when absent). */
  readonly version: number;
  /** The schema its bytes name through a registry id, when they name one. */
  readonly writerSchema: TopicSchema | undefined;
}
