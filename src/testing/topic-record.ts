import type { EnvelopeFields } from '../model/topics/envelope-header';
import type { RecordHeaders } from '../transport/transport';

/** A record as a test sees it: decoded key and value, plus where it landed. */
export interface TopicRecord<T, K = string | number> {
  readonly partition: number;
  readonly offset: number;
  readonly key: K | undefined;
  /** undefined for a tombstone. */
  readonly value: T | undefined;
  readonly headers: RecordHeaders;
  /** Its envelope (event id, type, schema version, producer), in whichever headers it was written. */
  readonly envelope: Partial<EnvelopeFields> | undefined;
  readonly timestamp: number;
}
