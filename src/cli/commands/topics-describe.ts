import { UnknownTopicError } from '../../errors/unknown-topic-error';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { formatTable } from '../format-table';

export const topicsDescribe: Command = {
  name: 'topics describe',
  usage: 'streamwise topics describe <topic>',
  summary: 'Partitions, cleanup policy, and start and end offsets per partition.',
  async run({ args, io, transport }) {
    const [topic] = args;
    if (topic === undefined)
      throw new CliUsageError('Name the topic: streamwise topics describe <topic>');
    const broker = await transport();
    const description = await broker.describeTopic(topic);
    if (description === undefined) throw new UnknownTopicError(topic);
    const [starts, ends] = await Promise.all([
      broker.startOffsets(topic),
      broker.endOffsets(topic),
    ]);
    io.out(
      `${topic}: ${description.partitions} partition(s), ${description.compacted ? 'compacted' : 'delete'} cleanup`,
    );
    const rows = [['partition', 'start', 'end', 'records']];
    for (let p = 0; p < description.partitions; p++) {
      rows.push([String(p), String(starts[p]), String(ends[p]), String(ends[p] - starts[p])]);
    }
    formatTable(rows).forEach((line) => io.out(line));
  },
};
