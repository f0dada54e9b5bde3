import { UnknownTopicError } from '../../errors/unknown-topic-error';
import type { Command } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';

export const topicsDescribe: Command = {
  name: 'topics describe',
  usage: 'streamwise topics describe <topic> [--json]',
  summary: 'Partitions, cleanup policy, and start and end offsets per partition.',
  description:
    'JSON: {"topic", "partitions", "cleanupPolicy": "delete"|"compact",\n' +
    '       "offsets": [{"partition", "start", "end", "records"}]}',
  arguments: [{ name: '<topic>', description: 'the topic to describe' }],
  options: [JSON_OPTION],
  examples: ['streamwise topics describe orders', 'streamwise topics describe orders --json'],
  async run({ args, flags, io, transport }) {
    const [topic] = args;
    const broker = await transport();
    const description = await broker.describeTopic(topic);
    if (description === undefined) throw new UnknownTopicError(topic);
    const [starts, ends] = await Promise.all([
      broker.startOffsets(topic),
      broker.endOffsets(topic),
    ]);
    const offsets = Array.from({ length: description.partitions }, (_, partition) => ({
      partition,
      start: starts[partition],
      end: ends[partition],
      records: ends[partition] - starts[partition],
    }));
    const cleanupPolicy = description.compacted ? 'compact' : 'delete';
    if (wantsJson(flags)) {
      printJson(io, { topic, partitions: description.partitions, cleanupPolicy, offsets });
      return;
    }
    io.out(
      `${topic}: ${description.partitions} partition(s), ${description.compacted ? 'compacted' : 'delete'} cleanup`,
    );
    const rows = [['partition', 'start', 'end', 'records']];
    for (const o of offsets)
      rows.push([String(o.partition), String(o.start), String(o.end), String(o.records)]);
    formatTable(rows).forEach((line) => io.out(line));
  },
};
