import { NotFoundError } from '../../errors/not-found-error';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { formatTable } from '../format-table';

export const groupLag: Command = {
  name: 'groups lag',
  usage: 'streamwise groups lag <group> <topic>',
  summary: "A consumer group's committed offsets and lag per partition of a topic.",
  async run({ args, io, transport }) {
    const [group, topic] = args;
    if (group === undefined || topic === undefined) {
      throw new CliUsageError(
        'Name the group and the topic: streamwise groups lag <group> <topic>',
      );
    }
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
    const rows = [['partition', 'committed', 'end', 'lag']];
    let total = 0;
    ends.forEach((end, p) => {
      const at = committed[p];
      const lag = at === undefined ? end : end - at;
      total += lag;
      rows.push([String(p), at === undefined ? '-' : String(at), String(end), String(lag)]);
    });
    formatTable(rows).forEach((line) => io.out(line));
    io.out(`total lag: ${total}`);
  },
};
