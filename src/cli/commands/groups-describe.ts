import { NotFoundError } from '../../errors/not-found-error';
import type { GroupView } from '../../transport/kafka/kafka-group-inspector';
import type { Transport } from '../../transport/transport';
import type { Command } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';

interface OffsetRow {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number;
  readonly end: number;
  readonly lag: number;
}

export const groupsDescribe: Command = {
  name: 'groups describe',
  usage: 'streamwise groups describe <group> [--json]',
  summary: "A group's state, members and their partitions, committed offsets and lag.",
  description:
    'JSON: {"groupId", "state", "totalLag",\n' +
    '       "members": [{"memberId", "clientId", "host", "assignment": [{"topic", "partition"}]}],\n' +
    '       "offsets": [{"topic", "partition", "committed", "end", "lag"}]}',
  arguments: [{ name: '<group>', description: 'the consumer group (a service name by default)' }],
  options: [JSON_OPTION],
  examples: ['streamwise groups describe billing-service'],
  async run({ args, flags, io, groups, transport }) {
    const [groupId] = args;
    const group = await (await groups()).describeGroup(groupId);
    if (group === undefined) {
      throw new NotFoundError(
        `Group "${groupId}" does not exist: no member and no committed offset (list the groups with streamwise groups list).`,
      );
    }
    const offsets = await lagRows(group, await transport());
    const totalLag = offsets.reduce((sum, row) => sum + row.lag, 0);
    if (wantsJson(flags)) {
      const { state, members } = group;
      printJson(io, { groupId, state, totalLag, members, offsets });
      return;
    }
    io.out(`${groupId}: ${group.state}, ${group.members.length} member(s), total lag ${totalLag}`);
    if (group.members.length > 0) {
      io.out('');
      const members = group.members.map((m) => [
        m.memberId,
        m.clientId,
        m.host,
        m.assignment.map((a) => `${a.topic}[${a.partition}]`).join(', ') || '-',
      ]);
      formatTable([['member', 'client', 'host', 'partitions'], ...members]).forEach((l) =>
        io.out(l),
      );
    }
    if (offsets.length > 0) {
      io.out('');
      const rows = offsets.map((o) => [
        o.topic,
        ...[o.partition, o.committed, o.end, o.lag].map(String),
      ]);
      formatTable([['topic', 'partition', 'committed', 'end', 'lag'], ...rows]).forEach((l) =>
        io.out(l),
      );
    }
  },
};

async function lagRows(group: GroupView, broker: Transport): Promise<OffsetRow[]> {
  const topics = [...new Set(group.committed.map((c) => c.topic))];
  const ends = new Map(
    await Promise.all(topics.map(async (t) => [t, await broker.endOffsets(t)] as const)),
  );
  return group.committed.map(({ topic, partition, offset }) => {
    const end = ends.get(topic)?.[partition] ?? offset;
    return { topic, partition, committed: offset, end, lag: end - offset };
  });
}
