import type { CommitOffsets, FetchedBatch } from '../../src/transport/fetched-batch';

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
