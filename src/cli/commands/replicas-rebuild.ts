import { RecordGate } from '../../codec/record-gate';
import { resolveSchemaRegistry } from '../../codec/registry/resolve-schema-registry';
import { TopicCodec } from '../../codec/topic-codec';
import { SilentLogger } from '../../logging/silent-logger';
import { rebuildReplica, type RebuildResult } from '../../replicas/replica-rebuild';
import { TopicWriters } from '../../runtime/topic-writers';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { copyProgress } from '../copy-progress';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';
import { DATABASE_OPTION, findReplica, openDatabase } from '../replica-target';

/**
 * Iterate via regeneration: a new version of a replica's table, built from offset 0 next to the
 * live one and switched in atomically, so a fix in a mapping reaches every row, not only new ones.
 */
export const replicasRebuild: Command = {
  name: 'replicas rebuild',
  usage:
    'streamwise replicas rebuild <module> <service> <replica> --database <url> [--schema-registry <url>] [--drop-old] [--json]',
  summary:
    'Build a new version of a @Replicate table from offset 0 next to the live one, then switch readers to it.',
  description: [
    'Readers read a replica through a view named by its table; each version is a table of its own',
    '(<table>_v1, <table>_v2, ...). The new version is built with the mapping in <module> up to the',
    'offsets the live version holds (a running replica keeps writing the live one meanwhile), then',
    'the view is re-pointed to it in one transaction while running replicas wait, and they go on',
    'writing the new version. The old version is kept until dropped (--drop-old, or',
    '"streamwise replicas drop"). Interrupted, it continues where it stopped when run again.',
    'A projection of several topics reads each of them from offset 0 up to its live offsets.',
    'Records that do not belong on their topic, or whose fold throws, are passed over (the',
    'replica dead-lettered them).',
    'JSON: {"table", "previous": {"version", "fingerprint", "table", "dropped"}, "current":',
    '       {"version", "fingerprint", "table", "resumed"}, "records", "skipped"}',
  ].join('\n'),
  arguments: [
    {
      name: '<module>',
      description: 'a module that exports @Service classes: built JavaScript or TypeScript',
    },
    { name: '<service>', description: "the service's name (or class name)" },
    { name: '<replica>', description: 'the replica: its table (or property) name' },
  ],
  options: [
    DATABASE_OPTION,
    {
      flags: '--schema-registry <url>',
      description: "the schema registry, when the topic's values use its wire format",
    },
    { flags: '--drop-old', description: 'drop the previous version once readers switched' },
    {
      flags: '--batch-rows <n>',
      description: 'rows written per transaction at most (memory held while reading)',
      defaultValue: '10000',
    },
    JSON_OPTION,
  ],
  examples: [
    'streamwise replicas rebuild dist/services.js order-view orders --database postgres://app@db:5432/app',
    'streamwise replicas rebuild src/services.ts order-view orders --database $DATABASE_URL --drop-old',
  ],
  async run(context) {
    const [modulePath, serviceName, replicaName] = context.args;
    const batchRows = Number(context.flags['batch-rows'] ?? 10_000);
    if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
      throw new CliUsageError(
        `--batch-rows needs a whole number >= 1, not "${String(context.flags['batch-rows'])}".`,
      );
    }
    const { services, service, replica } = await findReplica(modulePath, serviceName, replicaName);
    const writers = TopicWriters.build(services);
    const logger = new SilentLogger();
    const registry = context.flags['schema-registry'];
    const values = new TopicCodec(
      resolveSchemaRegistry(typeof registry === 'string' ? { url: registry } : undefined),
    );
    const database = await openDatabase(context.flags);
    const progress = copyProgress(context.io, `rebuild ${replica.table}`);
    let records = 0;
    let result: RebuildResult;
    try {
      result = await rebuildReplica(replica, {
        database,
        transport: await context.transport(),
        values,
        gate: new RecordGate({
          ownerOf: (topic) => writers.ownerOf(topic),
          onForeignProducer: service.options.onForeignProducer,
          logger,
        }),
        logger,
        dropOld: context.flags['drop-old'] === true,
        maxPendingRows: batchRows,
        onProgress: (done, total) => {
          records = total;
          progress.update(done, total);
        },
      });
    } finally {
      progress.stop();
      await database.close();
    }
    const { previous, current, skipped } = result;
    if (wantsJson(context.flags)) {
      printJson(context.io, { table: replica.table, previous, current, records, skipped });
      return;
    }
    context.io.out(
      `${replica.table}: readers see ${current.table} now (version ${current.version}, ${records} records${current.resumed ? ', continued from an interrupted run' : ''}${skipped > 0 ? `, ${skipped} passed over as not belonging on the topic` : ''}).`,
    );
    context.io.out(
      previous.dropped
        ? `${previous.table} was dropped.`
        : `${previous.table} is kept: drop it with "streamwise replicas drop ${replica.table} --database <url>".`,
    );
  },
};
