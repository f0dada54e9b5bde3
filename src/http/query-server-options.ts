import type { Meter } from '@opentelemetry/api';

import type { Logger } from '../logging/logger';
import type { InstanceDirectory } from './instance-directory';

export interface QueryServerOptions {
  /** Interface to listen on; default 127.0.0.1 (use 0.0.0.0 to serve other hosts). */
  readonly host?: string;
  /** Port to listen on; 0 (the default) picks a free one, see `address` after start(). */
  readonly port?: number;
  readonly logger: Logger;
  /** Needed only for key-routed queries (MountOptions.routing). */
  readonly directory?: InstanceDirectory;
  /** How long a forwarded request may take beyond the caller's ?timeout; default 10000. */
  readonly forwardTimeoutMs?: number;
  /** How long stop() waits for in-flight requests before cutting connections; default 10000. */
  readonly stopGraceMs?: number;
  /** Largest accepted request body in bytes; default 1 MiB. */
  readonly bodyLimit?: number;
  /** Where request metrics go; the global meter provider's meter (if one is registered) otherwise. */
  readonly meter?: Meter;
}
