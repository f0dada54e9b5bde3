import type { ServiceClass, TopicDefinition } from '../src';
import { defineTopic, EventHandler, Service, StreamService } from '../src';
import type { Item } from '../test/faults/relay-service';

/** How long the handler waits: a stand-in for a call to a database or another service. */
export const IO_WAIT_MS = 5;

/** What a run of the slow-I/O service saw, read by the benchmark while it runs. */
export class HandledLog {
  readonly ids = new Set<number>();
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** Most records handled at the same time (1 for a partition-serial service on one partition). */
  maxInFlight = 0;
  /** Times a record started while another of the same key was still being handled. */
  keyOverlaps = 0;
  readonly #keysInFlight = new Set<string>();
  #inFlight = 0;

  started(item: Item, now: number): void {
    this.firstAt ??= now;
    if (this.#keysInFlight.has(item.key)) this.keyOverlaps++;
    this.#keysInFlight.add(item.key);
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
  }

  finished(item: Item, now: number): void {
    this.#keysInFlight.delete(item.key);
    this.#inFlight--;
    this.ids.add(item.id);
    this.lastAt = now;
  }
}

export interface SlowIoTopology {
  readonly input: TopicDefinition<Item, string>;
  readonly service: ServiceClass;
}

/**
 * A service whose handler awaits IO_WAIT_MS per record and writes nothing: its throughput is
 * bounded by how many records it may wait on at once, which is what `concurrency.perPartition`
 * changes. `perPartition` undefined leaves the option out (the partition-serial default).
 */
export function slowIoTopology(
  names: { readonly input: string; readonly group: string },
  partitions: number,
  perPartition: number | undefined,
  log: HandledLog,
  now: () => number,
): SlowIoTopology {
  const input = defineTopic<Item>({
    name: names.input,
    entity: 'Item',
    key: (item) => item.key,
    partitions,
  });

  @Service(names.group, perPartition === undefined ? {} : { concurrency: { perPartition } })
  class SlowIo extends StreamService {
    @EventHandler(input)
    async handle(item: Item): Promise<void> {
      log.started(item, now());
      await new Promise((resolve) => setTimeout(resolve, IO_WAIT_MS));
      log.finished(item, now());
    }
  }
  return { input, service: SlowIo };
}
