import { FakeMember, loopOver, PARTITION, TOPIC } from '../../../test/support/fake-batch-member';
import { RecordingLogger } from '../../../test/support/recording-logger';
import type { OutputSink } from '../batch-output';
import { partitionKey } from '../partition-key';
import type { RecordProcessor } from '../record-processor';

const KEY = partitionKey({ topic: TOPIC, partition: PARTITION });

/**
 * Exactly-once as the loop sees it: every commit is a transaction carrying the input position,
 * and `prepare` answers with the group's committed offset as the broker reports it (`reported`),
 * which a test may set apart from what the transactions committed.
 */
class FakeTransactions implements RecordProcessor {
  readonly consumerCommits = false;
  /** The position the last transaction committed. */
  committed: number | undefined;
  /** Every position a transaction committed, in order. */
  readonly commits: number[] = [];
  /** What reading the group's committed offset answers; by default what was committed. */
  reported: () => number | undefined = () => this.committed;
  readonly sendLate = (): Promise<void> => Promise.resolve();

  prepare(): Promise<number | undefined> {
    return Promise.resolve(this.reported());
  }

  sink(): OutputSink {
    return {
      transactional: true,
      send: () => Promise.resolve(),
      commit: (nextOffset) => {
        this.committed = nextOffset;
        this.commits.push(nextOffset);
        return Promise.resolve();
      },
      abort: () => Promise.resolve(),
    };
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  halt(): void {
    // Nothing waits here.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function exactlyOnceLoop() {
  const handled: number[] = [];
  const logger = new RecordingLogger();
  const processor = new FakeTransactions();
  const { loop, pauses } = loopOver(processor, handled, logger);
  const warnings = () =>
    logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
  return { loop, processor, handled, pauses, warnings };
}

describe('KafkaBatchLoop exactly once: records its own transactions committed are not handled again', () => {
  it('when the consumer position goes back within an assignment (kafkajs moves a position it finds out of range to the start)', async () => {
    const member = new FakeMember();
    const { loop, handled, pauses, warnings } = exactlyOnceLoop();
    try {
      await loop.eachBatch(member.batch([0, 1, 2]));
      await loop.eachBatch(member.batch([3, 4]));
      await loop.eachBatch(member.batch([0, 1, 2, 3, 4, 5]));
      expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
      expect(member.resolved).toBe(6);
      expect(warnings()).toContainEqual(expect.stringContaining('went back from 5 to 0'));
    } finally {
      pauses.cancelTimers();
    }
  });

  it.each<[string, number | undefined, string]>([
    ['no committed offset', undefined, 'no committed offset'],
    ['a committed offset below the one they committed', 1, 'committed offset 1'],
  ])(
    'after a new assignment, when the group reports %s (a broker lost a commit when its group coordinator moved), and commits it again',
    async (_case, offset, said) => {
      const member = new FakeMember();
      const { loop, processor, handled, pauses, warnings } = exactlyOnceLoop();
      try {
        await loop.eachBatch(member.batch([0, 1, 2]));
        loop.clearFloors();
        processor.reported = () => offset;
        await loop.eachBatch(member.batch([1, 2, 3]));
        expect({ handled, commits: processor.commits }).toEqual({
          handled: [0, 1, 2, 3],
          commits: [3, 3, 4],
        });
        expect(warnings()).toContainEqual(
          expect.stringContaining(`reports ${said} for partition 2 of "orders", below the 3`),
        );
      } finally {
        pauses.cancelTimers();
      }
    },
  );

  it('after a new assignment, a committed offset above its own is followed (another member went on)', async () => {
    const member = new FakeMember();
    const { loop, processor, handled, pauses, warnings } = exactlyOnceLoop();
    try {
      await loop.eachBatch(member.batch([0, 1, 2]));
      loop.clearFloors();
      processor.reported = () => 5;
      await loop.eachBatch(member.batch([3, 4, 5, 6]));
      expect({ handled, commits: processor.commits }).toEqual({
        handled: [0, 1, 2, 5, 6],
        commits: [3, 7],
      });
      expect(warnings()).toEqual([]);
    } finally {
      pauses.cancelTimers();
    }
  });

  it('but an explicit seek back is followed', async () => {
    const member = new FakeMember();
    const { loop, handled, pauses, warnings } = exactlyOnceLoop();
    try {
      await loop.eachBatch(member.batch([0, 1, 2]));
      loop.dropFloor(KEY);
      await loop.eachBatch(member.batch([0, 1]));
      expect(handled).toEqual([0, 1, 2, 0, 1]);
      expect(warnings()).toEqual([]);
    } finally {
      pauses.cancelTimers();
    }
  });
});
