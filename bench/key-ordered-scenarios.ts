import { performance } from 'node:perf_hooks';

import { StreamwiseApp } from '../src';
import { RELAY_PARTITIONS } from '../test/faults/relay-service';
import { type BenchClient, benchTransport, scenarioId, transportName } from './bench-transport';
import { type BenchContext, runName } from './context';
import { createTopics } from './kafka-client';
import type { RunResult, Scenario } from './measure';
import { preloadItems } from './preload';
import { pollUntil } from './progress';
import { HandledLog, IO_WAIT_MS, slowIoTopology } from './slow-io-service';

/** Records of one key run one after the other; different keys may run at once, up to this many. */
const PER_PARTITION = 16;

/**
 * A handler that waits IO_WAIT_MS per record, on records with many distinct keys: once with
 * `concurrency.perPartition: 16`, once partition-serial (its baseline). Each run's clock runs from
 * the first record's handler call to the last one's end, so joining the group and the first fetch
 * (the same for both) do not dilute the ratio.
 */
export function keyOrderedScenarios(context: BenchContext): Scenario[] {
  const count = context.config.keyOrderedRecords;
  const records = `${count.toLocaleString('en-US')} records, ${IO_WAIT_MS} ms of I/O each`;
  return (['kafkajs', 'platformatic'] as const).flatMap((client): Scenario[] => {
    const serial = scenarioId('key-ordered-serial', client);
    const concurrent = scenarioId('key-ordered-concurrency', client);
    return [
      {
        id: serial,
        label: `slow-I/O handler on ${transportName(client)}, partition-serial (baseline), ${records}`,
        runOnce: (run) => slowIoRun(context, serial, run, undefined, client),
      },
      {
        id: concurrent,
        label: `the same with concurrency: { perPartition: ${PER_PARTITION} }, ${records}`,
        baseline: serial,
        runOnce: (run) => slowIoRun(context, concurrent, run, PER_PARTITION, client),
      },
    ];
  });
}

async function slowIoRun(
  context: BenchContext,
  scenario: string,
  run: string,
  perPartition: number | undefined,
  client: BenchClient,
): Promise<RunResult> {
  const { config } = context;
  const count = config.keyOrderedRecords;
  const names = {
    input: runName(context, scenario, run, 'in'),
    group: runName(context, scenario, run, 'group'),
  };
  await createTopics(context.kafka, [names.input], RELAY_PARTITIONS);
  await preloadItems(context.kafka, names.input, count, RELAY_PARTITIONS);
  const log = new HandledLog();
  const { service } = slowIoTopology(names, RELAY_PARTITIONS, perPartition, log, () =>
    performance.now(),
  );
  const app = StreamwiseApp.create({
    services: [service],
    transport: benchTransport(context, client, runName(context, scenario, run, 'app')),
    logger: context.logger,
    http: false,
  });
  try {
    await app.start();
    await pollUntil(
      `${count} records handled by ${names.group}`,
      () => Promise.resolve(log.ids.size),
      count,
      10,
      config.runTimeoutMs,
    );
  } finally {
    await app.stop();
  }
  const ms = (log.lastAt ?? 0) - (log.firstAt ?? 0);
  const overlaps =
    log.keyOverlaps === 0
      ? ''
      : `; ORDER BROKEN: ${log.keyOverlaps} record(s) overlapped their key`;
  return {
    records: count,
    ms,
    note: `at most ${log.maxInFlight} handler call(s) at once${overlaps}`,
    extra: { maxInFlight: log.maxInFlight, keyOverlaps: log.keyOverlaps },
  };
}
