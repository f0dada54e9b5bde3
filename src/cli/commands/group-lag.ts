import { NotFoundError } from '../../errors/not-found-error';
import type { Command } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';

export const groupLag: Command = {
  name: 'groups lag',
  usage: 'streamwise groups lag <group> <topic> [--json]',
  summary: "A consumer group's committed offsets and lag per partition of a topic.",
  description:
    'JSON: {"group", "topic", "totalLag",\n' +
    '       "partitions": [{"partition", "committed": number|null, "end", "lag"}]}',
  arguments: [
    { name: '<group>', description: 'the consumer group (a service name by default)' },
    { name: '<topic>', description: 'a topic the group consumes' },
  ],
  options: [JSON_OPTION],
  examples: ['streamwise groups lag billing-service orders'],
  async run({ args, flags, io, transport }) {
    const [group, topic] = args;
    const broker = await transport();
    const [committed, ends] = await Promise.all([
      broker.committedOffsets(group, topic),
      broker.endOffsets(topic),
    ]);
    if (committed.every((offset) => offset === undefined)) {
      throw new NotFoundError(
        `Group "${group}" has no committed offsets on "${topic}": it does not exist, or it never committed there (check the name with the group's service; a new member would start at its offsetReset position).`,
      );
    }
    const partitions = ends.map((end, partition) => {
      const at = committed[partition];
      return { partition, committed: at ?? null, end, lag: at === undefined ? end : end - at };
    });
    const totalLag = partitions.reduce((sum, p) => sum + p.lag, 0);
    if (wantsJson(flags)) {
      printJson(io, { group, topic, totalLag, partitions });
      return;
    }
    const rows = [['partition', 'committed', 'end', 'lag']];
    for (const p of partitions)
      rows.push([String(p.partition), String(p.committed ?? '-'), String(p.end), String(p.lag)]);
    formatTable(rows).forEach((line) => io.out(line));
    io.out(`total lag: ${totalLag}`);
  },
};
