import type { Clock } from '../../clock/clock';
import type { Logger } from '../../logging/logger';
import type { Transport } from '../transport';
import { MemoryTransport } from './memory-transport';

/**
 * An in-process broker with Kafka's semantics and nothing to run: for demos and first steps,
 * `StreamwiseApp.create({ services, transport: memoryTransport() })`. Records live as long as
 * the process. Pass the app's clock so record timestamps follow it. To share one broker between
 * apps (several processes on one cluster), use MemoryBroker and MemoryTransport from
 * 'streamwise/testing'.
 */
export function memoryTransport(options: { clock?: Clock; logger?: Logger } = {}): Transport {
  return new MemoryTransport(options);
}
