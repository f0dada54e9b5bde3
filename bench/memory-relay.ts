import { performance } from 'node:perf_hooks';

import { StreamwiseApp } from '../src';
import { MemoryBroker, MemoryTransport } from '../src/testing';
import { RELAY_PARTITIONS, relayTopology } from '../test/faults/relay-service';
import { type BenchContext, runName } from './context';
import type { RunResult, Scenario } from './measure';
import { pollUntil } from './progress';
import { chunks, itemRecord, relayItems } from './records';

/** The relay on the embedded broker: what the framework costs without any network. Reference only. */
export function memoryRelayScenario(context: BenchContext): Scenario {
  const count = context.config.relayRecords;
  return {
    id: 'relay-memory',
    label: `streamwise relay on MemoryTransport (reference, no broker), ${count.toLocaleString('en-US')} records`,
    reference: true,
    offline: true,
    runOnce: (run) => memoryRelay(context, run, count),
  };
}

async function memoryRelay(context: BenchContext, run: string, count: number): Promise<RunResult> {
  const names = {
    input: runName(context, 'relay-memory', run, 'in'),
    output: runName(context, 'relay-memory', run, 'out'),
    group: runName(context, 'relay-memory', run, 'group'),
  };
  const broker = new MemoryBroker();
  const loader = new MemoryTransport({ broker });
  await loader.connect();
  await loader.createTopics(
    [names.input, names.output].map((name) => ({
      name,
      partitions: RELAY_PARTITIONS,
      compacted: false,
    })),
  );
  const records = relayItems(count).map((item) => itemRecord(item, RELAY_PARTITIONS));
  for (const batch of chunks(records, 1_000)) await loader.produce(names.input, batch);

  const { relay } = relayTopology({ ...names, exactlyOnce: false });
  const start = performance.now();
  const app = StreamwiseApp.create({
    services: [relay],
    transport: new MemoryTransport({ broker }),
    logger: context.logger,
    http: false,
  });
  try {
    await app.start();
    await pollUntil(
      `${count} records in ${names.output}`,
      async () => (await loader.endOffsets(names.output)).reduce((sum, end) => sum + end, 0),
      count,
      1,
      context.config.runTimeoutMs,
    );
    return { records: count, ms: performance.now() - start };
  } finally {
    await app.stop();
    await loader.disconnect();
  }
}
