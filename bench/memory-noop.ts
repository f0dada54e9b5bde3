import { performance } from 'node:perf_hooks';

import { defineTopic, EventHandler, Service, StreamService, StreamwiseApp } from '../src';
import type { ServiceClass } from '../src/runtime/service-class';
import { MemoryBroker, MemoryTransport, TestBed } from '../src/testing';
import type { Item } from '../test/faults/relay-service';
import { RELAY_PARTITIONS } from '../test/faults/relay-service';
import { type BenchContext, runName } from './context';
import type { RunResult, Scenario } from './measure';
import { chunks, type ItemRecord, itemRecord, relayItems } from './records';
import { withTracerProvider } from './tracer-provider';

/** Records drained by TestBed for the drain-time note of `memory-noop`. */
const DRAIN_RECORDS = 100_000;

/**
 * The memory transport's cost per record with nothing else in the way: a service whose handler
 * does nothing, against a plain loop doing the least any consumer must (decode the JSON value,
 * await the handler) over the same bytes in the same process. No broker involved.
 */
export function memoryNoopScenarios(context: BenchContext): Scenario[] {
  const count = context.config.memoryRecords;
  const label = count.toLocaleString('en-US');
  return [
    {
      id: 'memory-raw-loop',
      label: `baseline: JSON.parse + await a no-op per record, ${label} records, no broker`,
      offline: true,
      runOnce: () => Promise.resolve(rawLoop(count)),
    },
    {
      id: 'memory-noop',
      label: `StreamwiseApp on MemoryTransport, no-op @EventHandler, ${label} records until committed`,
      baseline: 'memory-raw-loop',
      offline: true,
      runOnce: (run) => memoryNoop(context, run, count),
    },
    {
      id: 'memory-noop-traced',
      label: `memory-noop with an OpenTelemetry tracer provider registered (a span per record, none exported)`,
      baseline: 'memory-noop',
      offline: true,
      runsLast: true,
      runOnce: (run) => withTracerProvider(() => memoryNoop(context, run, count, 'traced')),
    },
  ];
}

/** Pre-built once per process: both sides read the very same value bytes. */
let cachedRecords: ItemRecord[] | undefined;

function records(count: number): ItemRecord[] {
  if (cachedRecords?.length !== count) {
    cachedRecords = relayItems(count).map((item) => itemRecord(item, RELAY_PARTITIONS));
  }
  return cachedRecords;
}

const noop = async (_value: unknown): Promise<void> => {};

async function rawLoopBody(values: readonly Buffer[]): Promise<number> {
  let ids = 0;
  for (const value of values) {
    const item = JSON.parse(value.toString('utf8')) as Item;
    await noop(item);
    ids += item.id;
  }
  return ids;
}

function rawLoop(count: number): Promise<RunResult> {
  const values = records(count).map((record) => record.value);
  const start = performance.now();
  return rawLoopBody(values).then(() => ({ records: count, ms: performance.now() - start }));
}

function noopService(input: ReturnType<typeof defineTopic<Item>>, group: string): ServiceClass {
  @Service(group)
  class Noop extends StreamService {
    @EventHandler(input)
    async ignore(_item: Item): Promise<void> {}
  }
  return Noop;
}

function inputTopic(name: string): ReturnType<typeof defineTopic<Item>> {
  return defineTopic<Item>({
    name,
    entity: 'Item',
    key: (i) => i.key,
    partitions: RELAY_PARTITIONS,
  });
}

async function preload(broker: MemoryBroker, topic: string, count: number): Promise<void> {
  const loader = new MemoryTransport({ broker });
  await loader.connect();
  await loader.createTopics([{ name: topic, partitions: RELAY_PARTITIONS, compacted: false }]);
  for (const batch of chunks(records(count), 1_000)) await loader.produce(topic, batch);
  await loader.disconnect();
}

async function memoryNoop(
  context: BenchContext,
  run: string,
  count: number,
  variant = 'plain',
): Promise<RunResult> {
  const names = {
    input: runName(context, `memory-noop-${variant}`, run, 'in'),
    group: runName(context, `memory-noop-${variant}`, run, 'group'),
  };
  const broker = new MemoryBroker();
  await preload(broker, names.input, count);
  const service = noopService(inputTopic(names.input), names.group);
  const transport = new MemoryTransport({ broker });
  await context.profiles.start();
  const start = performance.now();
  const app = StreamwiseApp.create({
    services: [service],
    transport,
    logger: context.logger,
    http: false,
  });
  try {
    await app.start();
    await allCommitted(broker, transport, names.group, names.input, count);
    const ms = performance.now() - start;
    await context.profiles.stop(runName(context, `memory-noop-${variant}`, run));
    return {
      records: count,
      ms,
      ...(variant === 'plain' ? { note: await drainNote(context, run) } : {}),
    };
  } finally {
    await app.stop();
  }
}

/** Waits until the group committed every record; settled() avoids polling a timer. */
async function allCommitted(
  broker: MemoryBroker,
  transport: MemoryTransport,
  group: string,
  topic: string,
  count: number,
): Promise<void> {
  for (;;) {
    await broker.settled();
    const committed = await transport.committedOffsets(group, topic);
    if (committed.reduce<number>((sum, offset) => sum + (offset ?? 0), 0) >= count) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** TestBed from start to the end of drain() over 100k pre-loaded records (untimed by the run). */
async function drainNote(context: BenchContext, run: string): Promise<string> {
  const names = {
    input: runName(context, 'memory-drain', run, 'in'),
    group: runName(context, 'memory-drain', run, 'group'),
  };
  const broker = new MemoryBroker();
  await preload(broker, names.input, DRAIN_RECORDS);
  const start = performance.now();
  const bed = await TestBed.start([noopService(inputTopic(names.input), names.group)], {
    broker,
    schemaRegistry: 'none',
  });
  try {
    await bed.drain({ maxRecords: DRAIN_RECORDS * 2 });
    return `TestBed start+drain of ${DRAIN_RECORDS.toLocaleString('en-US')} records: ${((performance.now() - start) / 1_000).toFixed(2)} s`;
  } finally {
    await bed.stop();
  }
}
