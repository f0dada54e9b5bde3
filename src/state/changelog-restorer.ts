import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import { RestoreAbandonedError } from '../errors/restore-abandoned-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { restoreGroupPrefix } from '../model/consumer-group-names';
import type { DeliveredRecord, Transport } from '../transport/transport';
import type { RestoreTracker } from './restore-progress';

/** Attempts of one restore before its error is thrown (the transport then retries onAssigned). */
const RESTORE_ATTEMPTS = 4;
const FIRST_PAUSE_MS = 100;

/**
 * Where a restore reads to. 'log': the log end (Transport.restoreEndOffsets), for a changelog:
 * a transaction that committed while its markers are still being written is restored, not left
 * out. 'stable': the read_committed end, for a table whose later records the group delivers
 * anyway: a transaction still open (a producer that died holds it up to its timeout) does not
 * hold the restore back.
 */
export type RestoreEnd = 'log' | 'stable';

export interface RestoreOptions {
  /** Told how far the restore got (restore progress). */
  readonly tracker?: RestoreTracker;
  /** Where it reads to; 'log' by default. */
  readonly end?: RestoreEnd;
  /**
   * Aborted when the service stops: the restore stops reading and rejects with
   * RestoreAbandonedError at once, instead of holding the stop until it ends (a transaction
   * open on the changelog can hold it up to that transaction's timeout).
   */
  readonly signal?: AbortSignal;
}

/**
 * Restores as restoreChangelogOnce does, trying again after a doubling pause when the broker
 * answers with a retriable error (a leader election: NOT_LEADER on the end offsets). Reading a
 * changelog again from its start is harmless: later records win, as the first time. A
 * non-retriable error, or the last attempt's, is thrown: the partition is then not restored, and
 * the transport keeps it paused.
 */
export async function restoreChangelog(
  transport: Transport,
  topic: string,
  partitions: readonly number[],
  apply: (record: DeliveredRecord) => Promise<void> | void,
  options: RestoreOptions = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await restoreChangelogOnce(transport, topic, partitions, apply, options);
      return;
    } catch (error) {
      const retriable = error instanceof StreamwiseError && error.retriable;
      if (!retriable || attempt >= RESTORE_ATTEMPTS) throw error;
      await delay(FIRST_PAUSE_MS * 2 ** (attempt - 1), undefined, { signal: options.signal }).catch(
        () => {
          throw new RestoreAbandonedError(topic);
        },
      );
    }
  }
}

/**
 * Reads chosen partitions of a topic (a changelog, or a co-partitioned table) from the beginning up to the end offsets they have now,
 * handing each record to `apply`; resolves once every chosen partition reached its end. The
 * transport has no partition assignment without a group, so it reads in a group of its own and
 * skips the partitions it was not asked for. `tracker` is told how far it got (restore progress).
 */
async function restoreChangelogOnce(
  transport: Transport,
  topic: string,
  partitions: readonly number[],
  apply: (record: DeliveredRecord) => Promise<void> | void,
  { tracker, end = 'log', signal }: RestoreOptions,
): Promise<void> {
  if (partitions.length === 0) return;
  if (aborted(signal)) throw new RestoreAbandonedError(topic);
  const [ends, starts] = await Promise.all([
    end === 'log' ? transport.restoreEndOffsets(topic) : transport.endOffsets(topic),
    tracker === undefined ? [] : transport.startOffsets(topic),
  ]);
  const wanted = new Map(partitions.map((p) => [p, ends[p] ?? 0]));
  if ([...wanted.values()].every((end) => end === 0)) return;
  tracker?.begin(new Map(partitions.map((p) => [p, starts[p] ?? 0])), wanted);
  const positions = new Map<number, number>();
  let done!: () => void;
  let fail!: (error: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  const check = (): void => {
    for (const [partition, end] of wanted) if ((positions.get(partition) ?? 0) < end) return;
    tracker?.finish();
    done();
  };
  const advance = (partition: number, next: number): void => {
    positions.set(partition, Math.max(next, positions.get(partition) ?? 0));
    tracker?.advance(partition, next);
    check();
  };
  check();
  const subscription = await transport.subscribe({
    groupId: `${restoreGroupPrefix(topic)}${randomUUID()}`,
    topics: [topic],
    offsetReset: 'earliest',
    onPosition: (_topic, partition, next) => advance(partition, next),
    handle: async (record) => {
      if (wanted.has(record.partition) && record.offset < (wanted.get(record.partition) ?? 0)) {
        await apply(record);
      }
      advance(record.partition, record.offset + 1);
    },
    // On Kafka a fetched batch comes in one call: no promise per record unless apply needs one.
    readBatch: (records) => {
      const last = records[records.length - 1];
      if (last === undefined) return;
      const end = wanted.get(last.partition);
      const applying = end === undefined ? undefined : applyBelow(records, end, apply);
      if (applying === undefined) return advance(last.partition, last.offset + 1);
      return applying.then(() => advance(last.partition, last.offset + 1));
    },
  });
  const abandon = (): void => fail(new RestoreAbandonedError(topic));
  signal?.addEventListener('abort', abandon, { once: true });
  // It may have been aborted while the subscription started.
  if (aborted(signal)) abandon();
  try {
    await finished;
  } finally {
    signal?.removeEventListener('abort', abandon);
    await subscription.stop();
  }
}

/**
 * Applies, in order, the records of one partition's batch below `end`; returns a promise only
 * once an apply returned one (the records after it wait for it).
 */
function applyBelow(
  records: readonly DeliveredRecord[],
  end: number,
  apply: (record: DeliveredRecord) => Promise<void> | void,
  from = 0,
): Promise<void> | undefined {
  for (let index = from; index < records.length; index++) {
    const record = records[index];
    if (record.offset >= end) return undefined;
    const applied = apply(record);
    if (applied instanceof Promise) {
      return applied.then(() => applyBelow(records, end, apply, index + 1));
    }
  }
  return undefined;
}

/** A function, so that TypeScript does not take a check before an await for one after it. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
