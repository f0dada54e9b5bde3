import type { Logger } from '../../src/logging/logger';
import type { CommitOffsets, FetchedBatch } from '../../src/transport/fetched-batch';
import { KafkaBatchLoop } from '../../src/transport/kafka/kafka-batch-loop';
import type { RecordProcessor } from '../../src/transport/record-processor';
import { RedeliveryPauses } from '../../src/transport/redelivery-pauses';

export const TOPIC = 'orders';
export const PARTITION = 2;

/**
 * The member as the loop sees it through its fetched batches: resolved offsets, a commit that
 * fails while `commitsFail` is set, and whether the batch's partition was paused.
 */
export class FakeMember {
  commitsFail = false;
  resolved: number | undefined;
  committed: number | undefined;
  commitAttempts = 0;
  paused = 0;
  resumed = 0;

  batch(offsets: readonly number[]): FetchedBatch {
    const messages = offsets.map((offset) => ({
      offset: String(offset),
      key: Buffer.from(`k${offset}`),
      value: Buffer.from(`v${offset}`),
      headers: {},
      timestamp: String(1_000 + offset),
    }));
    return {
      batch: {
        topic: TOPIC,
        partition: PARTITION,
        messages,
        firstOffset: () => (messages[0] === undefined ? null : messages[0].offset),
        lastOffset: () => messages[messages.length - 1]?.offset ?? '-1',
      },
      resolveOffset: (offset) => {
        this.resolved = Number(offset) + 1;
      },
      heartbeat: () => Promise.resolve(),
      isRunning: () => true,
      isStale: () => false,
      pause: () => {
        this.paused++;
        return () => {
          this.resumed++;
        };
      },
      uncommittedOffsets: (): CommitOffsets =>
        this.resolved === undefined || this.resolved === this.committed
          ? { topics: [] }
          : {
              topics: [
                {
                  topic: TOPIC,
                  partitions: [{ partition: PARTITION, offset: `${this.resolved}` }],
                },
              ],
            },
      commitOffsetsIfNecessary: (commit) => {
        this.commitAttempts++;
        if (this.commitsFail) {
          return Promise.reject(new Error('The coordinator is not available (NOT_COORDINATOR)'));
        }
        this.committed = Number(commit.topics[0]?.partitions[0]?.offset);
        return Promise.resolve();
      },
    };
  }
}

/**
 * A batch loop over `processor` whose handler records each offset in `handled` (then calls
 * `onRecord`), with a minute's redelivery backoff and a host that never halts or revokes.
 */
export function loopOver(
  processor: RecordProcessor,
  handled: number[],
  logger: Logger,
  onRecord: (offset: number) => void = () => undefined,
): { loop: KafkaBatchLoop; pauses: RedeliveryPauses } {
  const pauses = new RedeliveryPauses({ initialMs: 60_000, maxMs: 60_000 }, logger);
  const loop = new KafkaBatchLoop({
    processor,
    handle: (record) => {
      handled.push(Number(record.offset));
      onRecord(Number(record.offset));
      return Promise.resolve();
    },
    concurrency: 1,
    onRollback: undefined,
    validate: () => undefined,
    pauses,
    logger,
    onPosition: undefined,
    host: {
      halted: () => false,
      assigned: () => Promise.resolve(),
      waiting: () => false,
      beginRevoke: () => undefined,
      revoke: () => Promise.resolve(),
    },
  });
  return { loop, pauses };
}
