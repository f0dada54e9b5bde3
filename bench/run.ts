// Streamwise benchmarks: throughput against raw kafkajs on the same broker, in the same run.
// Usage: npm run bench (see bench/README.md for the environment variables).
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

import { writeBenchJson } from './bench-json';
import { requireBroker } from './broker-check';
import { deleteByPrefix } from './cleanup';
import { type BenchConfig, readConfig } from './config';
import { createBenchContext } from './context';
import { startDelayedLink } from './link-delay';
import { measureAll, type Measurement } from './measure';
import { allScenarios, danglingReferences } from './scenarios';
import { resultTable } from './table';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const settings = readConfig();
  const link =
    settings.linkDelayMs > 0
      ? await startDelayedLink(settings.brokers, settings.linkDelayMs)
      : undefined;
  try {
    await runBench(link === undefined ? settings : { ...settings, brokers: [link.address] });
  } finally {
    await link?.stop();
  }
}

async function runBench(config: BenchConfig): Promise<void> {
  const prefix = `bench-${Date.now().toString(36)}${randomBytes(2).toString('hex')}-`;
  const context = createBenchContext(config, prefix);
  const all = allScenarios(context);
  const dangling = danglingReferences(all);
  if (dangling.length > 0) throw new Error(`bench scenarios: ${dangling.join('; ')}`);
  const unknown = config.only.filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.id).join(', ')}`,
    );
  }
  const scenarios =
    config.only.length === 0 ? all : all.filter((scenario) => config.only.includes(scenario.id));
  const needsBroker = scenarios.some((scenario) => scenario.offline !== true);
  if (needsBroker) await requireBroker(config.brokers);

  print(`streamwise benchmark — ${new Date().toISOString()}`);
  print(
    `node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), broker ${needsBroker ? config.brokers.join(',') : 'none (memory only)'}${config.linkDelayMs > 0 ? ` (through a link delaying each request and answer ${config.linkDelayMs} ms)` : ''}`,
  );
  print(
    `${config.warmups} warm-up + ${config.runs} measured run(s) per scenario; topics and groups prefixed "${prefix}"`,
  );

  for (const scenario of scenarios) print(`  ${scenario.id}: ${scenario.label}`);

  const started = performance.now();
  let measurements: Measurement[] = [];
  try {
    measurements = await measureAll(scenarios, {
      warmups: config.warmups,
      runs: config.runs,
      print,
      afterRun: () => context.logger.takeWarnings(),
    });
  } finally {
    context.profiles.close();
    for (const scenario of scenarios) {
      await scenario.close?.().catch((error: unknown) => {
        print(`\nclosing ${scenario.id} failed: ${String(error)}`);
      });
    }
    const deleted = !needsBroker
      ? undefined
      : await deleteByPrefix(context.kafka, prefix).catch((error: unknown) => {
          print(
            `\ncleanup failed (delete topics starting with "${prefix}" by hand): ${String(error)}`,
          );
          return undefined;
        });
    if (deleted !== undefined) {
      print(`\ncleanup: deleted ${deleted.topics} topic(s) and ${deleted.groups} group(s)`);
    }
  }

  print(
    `\nResults (median of ${config.runs} run(s); ratio = median / median of the scenario's baseline in this run):\n`,
  );
  print(resultTable(measurements));
  if (config.jsonFile !== undefined) {
    await writeBenchJson(config.jsonFile, measurements);
    print(`\nwrote ${config.jsonFile}`);
  }
  print(`\ntotal time ${((performance.now() - started) / 1_000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
