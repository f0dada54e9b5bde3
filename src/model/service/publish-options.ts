import type { RecordHeaders } from '../../transport/transport';

export interface PublishOptions {
  /** Extra headers; streamwise's own headers (sw-*) cannot be overridden. */
  readonly headers?: RecordHeaders;
  /** Event time in epoch ms (default: now). */
  readonly timestamp?: number;
}
