import { CliUsageError } from './cli-error';
import type { CommandContext } from './command';

/** Where `replay` moves a group: the log's ends, a time, or offsets per topic and partition. */
export type ReplayTarget =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'time'; readonly time: number }
  | {
      readonly kind: 'offsets';
      /** Offsets by topic ('' for the topic given as an argument), then partition. */
      readonly offsets: ReadonlyMap<string, ReadonlyMap<number, number>>;
    };

const USAGE =
  'Give one target: --to earliest|latest|<ISO-8601 time>|<topic:partition=offset,...> (or the older --to-beginning, --to-end, --to-time, --to-offsets).';

/** Reads --to, or one of the older --to-* options it replaces. */
export function replayTarget(flags: CommandContext['flags']): ReplayTarget {
  const given = ['to', 'to-beginning', 'to-end', 'to-time', 'to-offsets'].filter(
    (f) => flags[f] !== undefined,
  );
  if (given.length !== 1) throw new CliUsageError(USAGE);
  if (flags['to-beginning'] === true) return { kind: 'earliest' };
  if (flags['to-end'] === true) return { kind: 'latest' };
  if (typeof flags['to-time'] === 'string') return timeTarget(flags['to-time'], '--to-time');
  if (typeof flags['to-offsets'] === 'string') return offsetsTarget(flags['to-offsets']);
  const to = String(flags.to);
  if (to === 'earliest') return { kind: 'earliest' };
  if (to === 'latest') return { kind: 'latest' };
  if (/^([^\s,=]+:)?\d+=\d+(,|$)/.test(to)) return offsetsTarget(to);
  return timeTarget(to, '--to');
}

function timeTarget(value: string, flag: string): ReplayTarget {
  const time = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new CliUsageError(
      `${flag} needs an ISO-8601 time such as 2025-01-31T12:00:00Z, not "${value}". ${flag === '--to' ? USAGE : ''}`.trim(),
    );
  return { kind: 'time', time };
}

/** `orders:0=42,orders:1=7`, or `0=42,1=7` for the topic given as an argument. */
function offsetsTarget(value: string): ReplayTarget {
  const offsets = new Map<string, Map<number, number>>();
  for (const pair of value.split(',')) {
    const match = /^(?:(.+):)?(\d+)=(\d+)$/.exec(pair.trim());
    if (match === null)
      throw new CliUsageError(
        `Offsets are topic:partition=offset or partition=offset pairs such as orders:0=42,orders:1=7, not "${pair}".`,
      );
    const topic = match[1] ?? '';
    const partitions = offsets.get(topic) ?? new Map<number, number>();
    partitions.set(Number(match[2]), Number(match[3]));
    offsets.set(topic, partitions);
  }
  return { kind: 'offsets', offsets };
}
