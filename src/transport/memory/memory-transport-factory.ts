import type { Clock } from '../../clock/clock';
import type { Logger } from '../../logging/logger';
import { CLOCK_OPTION, closedObject, LOGGER_OPTION } from '../../options/option-schema';
import { readOptions } from '../../options/read-options';
import type { Transport } from '../transport';
import { MemoryTransport } from './memory-transport';

export interface MemoryTransportFactoryOptions {
  /** Record timestamps and redelivery waits follow it; pass the app's clock. */
  readonly clock?: Clock;
  /** Silent unless given. */
  readonly logger?: Logger;
}

const MEMORY_TRANSPORT_OPTIONS = {
  owner: 'memoryTransport',
  schema: closedObject({ clock: CLOCK_OPTION, logger: LOGGER_OPTION }),
};

/**
 * An in-process broker with Kafka's semantics and nothing to run: for demos and first steps,
 * `StreamwiseApp.create({ services, transport: memoryTransport() })`. Records live as long as
 * the process. To share one broker between apps (several processes on one cluster), use
 * MemoryBroker and MemoryTransport from 'streamwise/testing'.
 */
export function memoryTransport(options: MemoryTransportFactoryOptions = {}): Transport {
  return new MemoryTransport(
    readOptions<MemoryTransportFactoryOptions>(MEMORY_TRANSPORT_OPTIONS, options),
  );
}
