import type { RecordHeaders } from '../../transport/transport';

export interface PublishOptions {
  /** Extra headers; streamwise's own headers (sw-*) cannot be overridden. */
  readonly headers?: RecordHeaders;
  /** Event time in epoch ms (default: now). */
  readonly timestamp?: number;
  /**
   * Inside a handler, a publish joins the record's pending output and resolves at once; the
   * output is sent with the batch and acknowledged before the input offset is committed. `flush:
   * true` sends it now and resolves once the broker acknowledged it (with exactly-once: once it
   * was sent in the open transaction). Outside handlers every publish waits for the broker.
   */
  readonly flush?: boolean;
}
