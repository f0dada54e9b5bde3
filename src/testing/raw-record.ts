import type { RecordHeaders } from '../transport/transport';

/** Bytes as an arbitrary (possibly broken) producer would write them. */
export interface RawRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: RecordHeaders;
  readonly partition?: number;
  readonly timestamp?: number;
}
