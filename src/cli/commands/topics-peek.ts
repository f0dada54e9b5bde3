import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Transport } from '../../transport/transport';
import { CliUsageError } from '../cli-error';
import type { Command, CommandContext } from '../command';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';
import { formatPeeked, peekedRecord } from '../peek-format';
import { type PartitionRange, readRanges } from '../peek-reader';

export const topicsPeek: Command = {
  name: 'topics peek',
  usage:
    'streamwise topics peek <topic> [--partition <p>] [--from earliest|latest|<offset>|<ISO time>] [--max <n>] [--json]',
  summary:
    "Print a topic's records: key, headers and value; dead letters' sw-dlq-* headers decoded.",
  description: [
    'Stops after --max records or at the end offsets read when it started: it never waits for new',
    'records. Values that are JSON (also behind the schema registry wire format) are pretty-printed,',
    'text is shown as text, anything else as base64. --from latest shows the last --max records of',
    'each partition. Records are printed by partition, then offset; it reads through a throwaway',
    'consumer group that it deletes afterwards.',
    'JSON: [{"topic", "partition", "offset", "timestamp", "key", "headers", "deadLetter"?, "value"}]',
    '      key and value: {"encoding": "null"} | {"encoding": "json", "json", "schemaId"?}',
    '                     | {"encoding": "utf8", "text"} | {"encoding": "base64", "base64"}',
  ].join('\n'),
  arguments: [{ name: '<topic>', description: 'the topic (a dead-letter topic too: orders.dlq)' }],
  options: [
    { flags: '--partition <p>', description: 'only this partition' },
    {
      flags: '--from <position>',
      description: 'earliest, latest, an offset or an ISO-8601 time',
      defaultValue: 'earliest',
    },
    { flags: '--max <n>', description: 'print at most n records', defaultValue: '10' },
    JSON_OPTION,
  ],
  examples: [
    'streamwise topics peek orders --max 5',
    'streamwise topics peek orders.dlq --from latest --max 1',
    'streamwise topics peek orders --partition 0 --from 42',
    'streamwise topics peek orders --from 2025-01-31T12:00:00Z --json',
  ],
  async run({ args, flags, io, transport, groups }) {
    const [topic] = args;
    const max = count(flags.max, '--max');
    const partition =
      flags.partition === undefined ? undefined : count(flags.partition, '--partition');
    const broker = await transport();
    const description = await broker.describeTopic(topic);
    if (description === undefined) throw new UnknownTopicError(topic);
    if (partition !== undefined && partition >= description.partitions)
      throw new CliUsageError(
        `Partition ${partition} does not exist; ${topic} has ${description.partitions}.`,
      );
    const ranges = (await rangesFrom(broker, topic, String(flags.from), max)).filter(
      (r) => partition === undefined || r.partition === partition,
    );
    const { records, groupId } = await readRanges(broker, topic, ranges, max);
    await deleteReader(groups, groupId, broker.kind);
    const shown = records
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
      .map(peekedRecord);
    if (wantsJson(flags)) {
      printJson(io, shown);
      return;
    }
    shown.forEach((record, i) => {
      if (i > 0) io.out('');
      formatPeeked(record).forEach((line) => io.out(line));
    });
    if (shown.length === 0) io.err(`no records in ${topic} from ${String(flags.from)}`);
  },
};

async function rangesFrom(
  broker: Transport,
  topic: string,
  from: string,
  max: number,
): Promise<PartitionRange[]> {
  const [starts, ends] = await Promise.all([broker.startOffsets(topic), broker.endOffsets(topic)]);
  let froms: number[];
  if (from === 'earliest') froms = starts;
  else if (from === 'latest') froms = ends.map((end, p) => Math.max(starts[p], end - max));
  else if (/^\d+$/.test(from)) froms = starts.map((start) => Math.max(start, Number(from)));
  else {
    const time = Date.parse(from);
    if (Number.isNaN(time))
      throw new CliUsageError(
        `--from takes earliest, latest, an offset or an ISO-8601 time such as 2025-01-31T12:00:00Z, not "${from}".`,
      );
    froms = await broker.offsetsForTimestamp(topic, time);
  }
  return ends.map((end, partition) => ({
    partition,
    from: froms[partition],
    to: Math.min(end, froms[partition] + max),
  }));
}

function count(value: CommandContext['flags'][string], flag: string): number {
  const text = String(value);
  if (!/^\d+$/.test(text))
    throw new CliUsageError(`${flag} takes a whole number such as 10, not "${text}".`);
  return Number(text);
}

/** The throwaway group would otherwise stay listed with its offsets for the retention period. */
async function deleteReader(
  groups: CommandContext['groups'],
  groupId: string,
  kind: Transport['kind'],
): Promise<void> {
  if (kind !== 'kafka') return;
  await (await groups()).deleteGroup(groupId);
}
