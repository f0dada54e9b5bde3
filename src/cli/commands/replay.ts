import { GroupActiveError } from '../../errors/group-active-error';
import type { Transport } from '../../transport/transport';
import { CliUsageError } from '../cli-error';
import type { Command, CommandContext } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';
import { type ReplayTarget, replayTarget } from '../replay-target';

interface Move {
  readonly topic: string;
  readonly partition: number;
  readonly current: number | null;
  readonly next: number;
}

/**
 * Rewinds (or forwards) a stopped group so its next start re-reads from there: principle 4's
 * "regenerate state from the log" as one command. It previews unless told to --execute, as
 * kafka-consumer-groups --reset-offsets does, because a wrong target re-runs side effects.
 */
export const replay: Command = {
  name: 'replay',
  usage:
    'streamwise replay <group> [topic] --to earliest|latest|<ISO-8601>|<topic:partition=offset,...> [--execute] [--json]',
  summary:
    "Preview, then with --execute move, a stopped group's committed offsets: to the log's start or end, a time, or given offsets.",
  description: [
    'Without <topic> it moves every topic the group has committed on (or those named in the',
    'offsets). Offsets outside the log are clamped to it, with a warning. A group with active',
    'members is refused: stop its service first. Partitions not named in the offsets keep theirs.',
    'JSON: {"group", "executed", "partitions": [{"topic", "partition", "current": number|null, "new"}]}',
  ].join('\n'),
  arguments: [
    { name: '<group>', description: 'the consumer group (a service name by default)' },
    { name: '[topic]', description: 'only this topic' },
  ],
  options: [
    {
      flags: '--to <target>',
      description:
        'earliest, latest, an ISO-8601 time, or offsets: topic:partition=offset,... (partition=offset,... with <topic>)',
    },
    { flags: '--execute', description: 'apply the change (without it, only the preview)' },
    JSON_OPTION,
    { flags: '--to-beginning', description: 'same as --to earliest' },
    { flags: '--to-end', description: 'same as --to latest' },
    { flags: '--to-time <ISO-8601>', description: 'same as --to <ISO-8601>' },
    { flags: '--to-offsets <partition=offset,...>', description: 'same as --to with offsets' },
  ],
  examples: [
    'streamwise replay billing-service --to earliest',
    'streamwise replay billing-service orders --to 2025-01-31T12:00:00Z --execute',
    'streamwise replay billing-service --to orders:0=42,orders:1=7 --execute',
  ],
  async run({ args, flags, io, transport, groups }) {
    const [group, topicArgument] = args;
    const target = replayTarget(flags);
    const broker = await transport();
    if (broker.kind === 'kafka') {
      const found = await (await groups()).describeGroup(group);
      if (found !== undefined && found.members.length > 0)
        throw new GroupActiveError(group, found.members.length);
    }
    const topics = await replayTopics(group, topicArgument, target, groups, broker.kind);
    const moves: Move[] = [];
    for (const topic of topics)
      moves.push(...(await movesFor(broker, group, topic, target, (line) => io.err(line))));
    const execute = flags.execute === true;
    if (execute) {
      for (const topic of topics) {
        const offsets = moves.filter((m) => m.topic === topic).map((m) => m.next);
        await broker.setCommittedOffsets(group, topic, offsets);
      }
    }
    if (wantsJson(flags)) {
      printJson(io, {
        group,
        executed: execute,
        partitions: moves.map(({ next, ...move }) => ({ ...move, new: next })),
      });
      return;
    }
    const rows = moves.map((m) => [
      m.topic,
      String(m.partition),
      String(m.current ?? '-'),
      String(m.next),
    ]);
    formatTable([['topic', 'partition', 'current', 'new'], ...rows]).forEach((l) => io.out(l));
    if (!execute) {
      io.out(`Preview only: nothing changed. Add --execute to move ${group} to these offsets.`);
      return;
    }
    for (const topic of topics) {
      const offsets = moves.filter((m) => m.topic === topic).map((m) => `${m.partition}=${m.next}`);
      io.out(`${group} on ${topic} now starts at ${offsets.join(', ')}`);
    }
  },
};

async function replayTopics(
  group: string,
  topic: string | undefined,
  target: ReplayTarget,
  groups: CommandContext['groups'],
  kind: Transport['kind'],
): Promise<string[]> {
  const named = target.kind === 'offsets' ? [...target.offsets.keys()].filter((t) => t !== '') : [];
  if (topic !== undefined) {
    if (named.some((t) => t !== topic))
      throw new CliUsageError(`The offsets name topics other than ${topic}; leave out <topic>.`);
    return [topic];
  }
  if (target.kind === 'offsets') {
    if (target.offsets.has(''))
      throw new CliUsageError(
        'partition=offset pairs need <topic>; or write topic:partition=offset.',
      );
    return named;
  }
  const committed =
    kind === 'kafka' ? ((await (await groups()).describeGroup(group))?.committed ?? []) : [];
  const topics = [...new Set(committed.map((c) => c.topic))];
  if (topics.length === 0)
    throw new CliUsageError(
      `Group "${group}" has committed on no topic; name the topic: streamwise replay ${group} <topic> --to ...`,
    );
  return topics;
}

async function movesFor(
  broker: Transport,
  group: string,
  topic: string,
  target: ReplayTarget,
  warn: (line: string) => void,
): Promise<Move[]> {
  const [committed, starts, ends] = await Promise.all([
    broker.committedOffsets(group, topic),
    broker.startOffsets(topic),
    broker.endOffsets(topic),
  ]);
  let wanted: number[];
  if (target.kind === 'earliest' || target.kind === 'latest')
    wanted = target.kind === 'earliest' ? starts : ends;
  else if (target.kind === 'time') wanted = await broker.offsetsForTimestamp(topic, target.time);
  else {
    const given = target.offsets.get(topic) ?? target.offsets.get('') ?? new Map<number, number>();
    const missing = [...given.keys()].find((p) => p >= ends.length);
    if (missing !== undefined)
      throw new CliUsageError(`Partition ${missing} does not exist; ${topic} has ${ends.length}.`);
    wanted = ends.map((end, p) => given.get(p) ?? committed[p] ?? end);
  }
  return wanted.map((offset, partition) => ({
    topic,
    partition,
    current: committed[partition] ?? null,
    next: clamp(offset, partition, starts[partition] ?? 0, ends[partition] ?? 0, warn),
  }));
}

/** An offset outside the log would commit a position no record has (lag turns negative). */
function clamp(
  offset: number,
  partition: number,
  start: number,
  end: number,
  warn: (line: string) => void,
): number {
  if (offset > end) {
    warn(
      `warning: partition ${partition}: offset ${offset} is past the end of the log (${end}); using ${end}.`,
    );
    return end;
  }
  if (offset < start) {
    warn(
      `warning: partition ${partition}: offset ${offset} is before the start of the log (${start}); using ${start}.`,
    );
    return start;
  }
  return offset;
}
