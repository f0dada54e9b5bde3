import type { Container } from 'inversify';

import type { ManualClock } from '../clock/manual-clock';
import type { SchemaRegistry } from '../codec/registry/schema-registry';
import type { Logger } from '../logging/logger';
import type { RetryOptions } from '../model/service/retry-options';
import type { EnvelopeHeaders } from '../model/topics/envelope-header';
import type { UnsignedRecordsPolicy } from '../model/topics/unsigned-records';
import type { ReplicaDatabase } from '../replicas/replica-database';
import type { MemoryBroker } from '../transport/memory/memory-broker';

export interface TestBedOptions {
  /** Starts at 2025-01-01T00:00:00Z unless given. */
  readonly clock?: ManualClock;
  readonly broker?: MemoryBroker;
  /** Bindings for the services' constructor dependencies (fakes of mailers, clients…). */
  readonly container?: Container;
  /** Silent by default. */
  readonly logger?: Logger;
  readonly retry?: RetryOptions;
  readonly owners?: Readonly<Record<string, string>>;
  /** The app's policy for records without a producer (default 'accept'). */
  readonly unsignedRecords?: UnsignedRecordsPolicy;
  /** How the bed and its apps write the envelope: the app option envelopeHeaders. */
  readonly envelopeHeaders?: EnvelopeHeaders;
  /**
   * A new InMemorySchemaRegistry unless given, so tests exercise the registry wire format and
   * start-up registration; 'none' runs as an app without a registry (plain JSON, still validated).
   */
  readonly schemaRegistry?: SchemaRegistry | 'none';
  /** The app's stateDir for persistent @Materialize tables (use a temporary folder in tests). */
  readonly stateDir?: string;
  /**
   * The database of the services' @Replicate tables, e.g. pgliteDatabase() from 'streamwise/pglite'
   * (a new one per test: its offsets belong to this bed's broker). The test closes it after stop().
   */
  readonly replicaDatabase?: ReplicaDatabase;
  /**
   * How long stop() waits for the services (default 4000, below Jest's default 5 s timeout): a
   * handler that never settles then fails the test with StopTimeoutError naming the service,
   * instead of with Jest's timeout. The app option stopTimeoutMs, for the bed's apps.
   */
  readonly stopTimeoutMs?: number;
}

/** TestBedOptions.stopTimeoutMs unless given. */
export const TEST_BED_STOP_TIMEOUT_MS = 4_000;
