import type { DeliveredRecord } from '../../transport/transport';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import type { CopiedRecord } from '../copy-topic';
import { JSON_OPTION } from '../json-output';
import { copyGroup, runCopy } from '../run-copy';

/**
 * Kafka can only add partitions in place, and adding them moves keys to other partitions while
 * old records stay where they were; a copy into a new topic is the way to change the count.
 */
export const repartition: Command = {
  name: 'repartition',
  usage: 'streamwise repartition <topic> --partitions <n> [--to <new-topic>] [--json]',
  summary:
    'Copy a topic into a new one with another partition count, keys and per-key order kept, exactly once.',
  description: [
    'Every record keeps its key, value, headers and timestamp; a key goes to the partition Java',
    'clients pick for it among <n> (keyless records: their partition modulo <n>). The new topic is',
    "created with the source's cleanup policy. Progress is the consumer group",
    'streamwise-repartition.<topic>.<new-topic>, committed in one Kafka transaction with the records',
    'written: an interrupted run continues when run again, a finished one writes nothing more.',
    'Point the services at the new topic (a new definition) once it has caught up.',
    'JSON: {"from", "to", "group", "total", "read", "written"}',
  ].join('\n'),
  arguments: [{ name: '<topic>', description: 'the topic to copy' }],
  options: [
    { flags: '--partitions <n>', description: 'partitions of the new topic' },
    { flags: '--to <new-topic>', description: 'the new topic (default: <topic>-p<n>)' },
    JSON_OPTION,
  ],
  examples: [
    'streamwise repartition orders --partitions 12',
    'streamwise repartition orders --partitions 12 --to orders-v2',
  ],
  async run(context) {
    const [from] = context.args;
    const partitions = Number(context.flags.partitions);
    if (!Number.isSafeInteger(partitions) || partitions < 1)
      throw new CliUsageError(
        `--partitions needs a whole number >= 1, not "${String(context.flags.partitions)}".`,
      );
    const to = typeof context.flags.to === 'string' ? context.flags.to : `${from}-p${partitions}`;
    if (to === from) throw new CliUsageError('--to must name a new topic, not the one copied.');
    await runCopy(
      context,
      { from, to, partitions, group: copyGroup('repartition', from, to), map: copyAsIs },
      'repartition',
    );
  },
};

function copyAsIs(record: DeliveredRecord): Promise<CopiedRecord> {
  return Promise.resolve({
    key: record.key,
    value: record.value,
    headers: record.headers,
    ...(record.rawHeaders === undefined ? {} : { rawHeaders: record.rawHeaders }),
  });
}
