import { FakeMember, loopOver } from '../../../test/support/fake-batch-member';
import { RecordingLogger } from '../../../test/support/recording-logger';
import { AtLeastOnceProcessor } from '../record-processor';

function logged(logger: RecordingLogger, level: string): string[] {
  return logger.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
}

function batchLoop(
  handled: number[],
  logger = new RecordingLogger(),
  onRecord: (offset: number) => void = () => undefined,
) {
  const processor = new AtLeastOnceProcessor(() => Promise.resolve());
  return { ...loopOver(processor, handled, logger, onRecord), logger };
}

describe('KafkaBatchLoop at least once', () => {
  it('commits the resolved offsets at the end of each batch', async () => {
    const member = new FakeMember();
    const handled: number[] = [];
    const { loop, pauses } = batchLoop(handled);
    await loop.eachBatch(member.batch([0, 1, 2]));
    expect({ handled, committed: member.committed }).toEqual({ handled: [0, 1, 2], committed: 3 });
    pauses.cancelTimers();
  });

  it('starts no new record while commits fail, so a lost coordinator costs at most the records handled since the last commit', async () => {
    const member = new FakeMember();
    const handled: number[] = [];
    const { loop, pauses, logger } = batchLoop(handled);
    try {
      member.commitsFail = true;
      await loop.eachBatch(member.batch([0, 1, 2]));
      expect(handled).toEqual([0, 1, 2]);

      // The next batch tries the commit again first: it still fails, so the records wait (the
      // partition is held for the transport's redelivery backoff and the batch is fetched again).
      await loop.eachBatch(member.batch([3, 4, 5]));
      expect({ handled, resolved: member.resolved, paused: member.paused }).toEqual({
        handled: [0, 1, 2],
        resolved: 3,
        paused: 1,
      });
      expect(logged(logger, 'warn')).toContainEqual(
        expect.stringContaining('committing offsets failed'),
      );

      // Once a commit goes through, the batch runs, and the partitions held for the commit are
      // resumed at once instead of when their backoff ends.
      member.commitsFail = false;
      await loop.eachBatch(member.batch([3, 4, 5]));
      expect({ handled, committed: member.committed, resumed: member.resumed }).toEqual({
        handled: [0, 1, 2, 3, 4, 5],
        committed: 6,
        resumed: 1,
      });
      expect(logged(logger, 'info')).toContainEqual(
        expect.stringContaining('committing offsets works again'),
      );
    } finally {
      pauses.cancelTimers();
    }
  });

  it('stops a long batch at its next record when the commit made within it fails', async () => {
    // Only the clock is faked (the loop's turns and backoffs run as they would): the commit
    // within the batch is due once a second has passed.
    jest.useFakeTimers({
      now: 0,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const member = new FakeMember();
    const handled: number[] = [];
    const { loop, pauses } = batchLoop(handled, new RecordingLogger(), (offset) => {
      if (offset === 1) {
        member.commitsFail = true;
        jest.setSystemTime(Date.now() + 5_000);
      }
    });
    try {
      await loop.eachBatch(member.batch([0, 1, 2, 3, 4, 5]));
      expect({ handled, resolved: member.resolved }).toEqual({ handled: [0, 1], resolved: 2 });
    } finally {
      pauses.cancelTimers();
      jest.useRealTimers();
    }
  });

  it('ends the hold when nothing is left to commit (a new assignment starts from the committed offsets)', async () => {
    const member = new FakeMember();
    const handled: number[] = [];
    const { loop, pauses } = batchLoop(handled);
    try {
      member.commitsFail = true;
      await loop.eachBatch(member.batch([0, 1]));
      // The group was joined again: the member's position is back at its committed offset.
      member.resolved = undefined;
      await loop.eachBatch(member.batch([0, 1]));
      expect({ handled, paused: member.paused }).toEqual({ handled: [0, 1, 0, 1], paused: 0 });
    } finally {
      pauses.cancelTimers();
    }
  });
});
