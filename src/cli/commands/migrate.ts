import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { JSON_OPTION } from '../json-output';
import { loadTransform, migrationMap } from '../migration-transform';
import { copyGroup, runCopy } from '../run-copy';

/**
 * A new version of a topic, computed from the old one: the way to change what a topic holds
 * (principle: never rewrite a log in place), resumable and exactly once through the copy engine.
 */
export const migrate: Command = {
  name: 'migrate',
  usage: 'streamwise migrate <from-topic> <to-topic> --transform <module> [--json]',
  summary:
    'Copy a topic into a new one through a transform function, exactly once, resumable, with progress.',
  description: [
    "The module's default export gets each record as {key, value, headers, timestamp, partition,",
    'offset} (key as text, value parsed from JSON, null for a tombstone) and returns {value, key?,',
    "headers?} (value written as JSON; a missing key or headers keeps the source's) or undefined to",
    'drop the record. A changed key goes to the partition Java clients would pick for it.',
    "<to-topic> is created with the source's partition count and cleanup policy when missing.",
    'Progress is the consumer group streamwise-migrate.<from>.<to>, committed in one Kafka',
    'transaction with the records written: an interrupted run continues where it stopped when run',
    'again, without duplicates, and a finished one writes nothing more. Per-key order is kept.',
    'JSON: {"from", "to", "group", "total", "read", "written"}',
  ].join('\n'),
  arguments: [
    { name: '<from-topic>', description: 'the topic to read' },
    { name: '<to-topic>', description: 'the new topic (a new version) to write' },
  ],
  options: [
    {
      flags: '--transform <module>',
      description: 'a module whose default export maps one record (JavaScript or TypeScript)',
    },
    JSON_OPTION,
  ],
  examples: [
    'streamwise migrate orders orders-v2 --transform migrations/orders-v2.ts',
    'streamwise migrate orders orders-v2 --transform dist/migrations/orders-v2.js --json',
  ],
  async run(context) {
    const [from, to] = context.args;
    const transformPath = context.flags.transform;
    if (typeof transformPath !== 'string')
      throw new CliUsageError(
        'Give the transform: --transform <module> (its default export maps one record).',
      );
    const map = migrationMap(await loadTransform(transformPath));
    const source = await (await context.transport()).describeTopic(from);
    await runCopy(
      context,
      { from, to, partitions: source?.partitions ?? 1, group: copyGroup('migrate', from, to), map },
      'migrate',
    );
  },
};
