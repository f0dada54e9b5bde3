import { CliUsageError } from '../cli-error';
import type { Command } from '../command';

/**
 * Rewinds (or forwards) a stopped group so its next start re-reads from there: principle 4's
 * "regenerate state from the log" as one command.
 */
export const replay: Command = {
  name: 'replay',
  usage:
    'streamwise replay <group> <topic> (--to-beginning | --to-end | --to-time <ISO-8601> | --to-offsets <p>=<o>,...)',
  summary:
    "Move a stopped group's committed offsets on a topic to the beginning, the end, a time or given offsets.",
  arguments: [
    { name: '<group>', description: 'the consumer group (a service name by default)' },
    { name: '<topic>', description: 'the topic whose offsets move' },
  ],
  options: [
    { flags: '--to-beginning', description: 'the first offset still in the log' },
    { flags: '--to-end', description: 'the end of the log: skip everything written so far' },
    { flags: '--to-time <ISO-8601>', description: 'the first record at or after this time' },
    {
      flags: '--to-offsets <partition=offset,...>',
      description: 'given offsets, clamped to the log (other partitions keep theirs)',
    },
  ],
  examples: [
    'streamwise replay billing-service orders --to-beginning',
    'streamwise replay billing-service orders --to-time 2025-01-31T12:00:00Z',
    'streamwise replay billing-service orders --to-offsets 0=42,1=7',
  ],
  async run({ args, flags, io, transport }) {
    const [group, topic] = args;
    const targets = ['to-beginning', 'to-end', 'to-time', 'to-offsets'].filter(
      (f) => flags[f] !== undefined,
    );
    if (targets.length !== 1) throw new CliUsageError(`Give exactly one target: ${replay.usage}`);
    const broker = await transport();
    let offsets: number[];
    if (flags['to-beginning'] === true) offsets = await broker.startOffsets(topic);
    else if (flags['to-end'] === true) offsets = await broker.endOffsets(topic);
    else if (typeof flags['to-time'] === 'string') {
      const time = Date.parse(flags['to-time']);
      if (Number.isNaN(time))
        throw new CliUsageError(
          `--to-time needs an ISO-8601 time such as 2025-01-31T12:00:00Z, not "${flags['to-time']}".`,
        );
      offsets = await broker.offsetsForTimestamp(topic, time);
    } else {
      const [committed, starts, ends] = await Promise.all([
        broker.committedOffsets(group, topic),
        broker.startOffsets(topic),
        broker.endOffsets(topic),
      ]);
      offsets = offsetsFromFlag(String(flags['to-offsets']), committed, ends).map((offset, p) =>
        clamp(offset, p, starts[p] ?? 0, ends[p] ?? 0, (line) => io.err(line)),
      );
    }
    await broker.setCommittedOffsets(group, topic, offsets);
    io.out(`${group} on ${topic} now starts at ${offsets.map((o, p) => `${p}=${o}`).join(', ')}`);
  },
};

function offsetsFromFlag(
  value: string,
  committed: (number | undefined)[],
  ends: number[],
): number[] {
  const offsets = ends.map((end, p) => committed[p] ?? end);
  for (const pair of value.split(',')) {
    const match = /^(\d+)=(\d+)$/.exec(pair.trim());
    if (match === null)
      throw new CliUsageError(
        `--to-offsets takes partition=offset pairs such as 0=42,1=7, not "${pair}".`,
      );
    const partition = Number(match[1]);
    if (partition >= ends.length)
      throw new CliUsageError(
        `Partition ${partition} does not exist; the topic has ${ends.length}.`,
      );
    offsets[partition] = Number(match[2]);
  }
  return offsets;
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
