import { RecordingLogger } from '../../test/support/recording-logger';
import { ManualClock } from '../clock/manual-clock';
import { type RestoreProgress, RestoreTracker } from './restore-progress';

describe('RestoreTracker', () => {
  const what = { kind: 'table', name: 'pricing.prices', topic: 'prices' } as const;

  it('reports records done, records/s and remaining every 2 s of the clock, and once at the end', () => {
    const clock = new ManualClock();
    const logger = new RecordingLogger();
    const events: RestoreProgress[] = [];
    const tracker = new RestoreTracker({ clock, logger, listener: (p) => events.push(p) }, what);
    // Partition 0 resumes at 100 of 1,100; partition 1 starts at 0 of 500: 1,500 to read.
    tracker.begin(
      new Map([[0, 100]]),
      new Map([
        [0, 1_100],
        [1, 500],
      ]),
    );
    tracker.advance(0, 400);
    clock.advance(1_999);
    tracker.advance(1, 200);
    expect(events).toEqual([]);

    clock.advance(1);
    tracker.advance(1, 300);
    expect(events).toEqual([
      {
        ...what,
        done: 600,
        remaining: 900,
        recordsPerSecond: 300,
        elapsedMs: 2_000,
        finished: false,
      },
    ]);

    clock.advance(1_000);
    tracker.advance(0, 1_100);
    tracker.advance(0, 1_200); // past the end it began with: not counted
    expect(events).toHaveLength(1);
    tracker.finish();
    tracker.finish();
    expect(events[1]).toEqual({
      ...what,
      done: 1_500,
      remaining: 0,
      recordsPerSecond: 500,
      elapsedMs: 3_000,
      finished: true,
    });
    expect(events).toHaveLength(2);
    expect(logger.entries.map((line) => [line.message, line.fields?.done])).toEqual([
      ['restore started', undefined],
      ['restoring', 600],
      ['restore finished', 1_500],
    ]);
    expect(logger.entries[0].fields).toEqual({ ...what, remaining: 1_500, partitions: 2 });
    expect(logger.entries[2].fields).toMatchObject({ recordsPerSecond: 500, elapsedMs: 3_000 });
  });

  it('logs nothing for a restore with nothing to read', () => {
    const logger = new RecordingLogger();
    const tracker = new RestoreTracker({ clock: new ManualClock(), logger }, what);
    tracker.begin(new Map([[0, 10]]), new Map([[0, 10]]));
    expect(logger.entries).toEqual([]);
  });

  it('keeps restoring when the listener throws, and says so in the log', () => {
    const logger = new RecordingLogger();
    const tracker = new RestoreTracker(
      {
        clock: new ManualClock(),
        logger,
        listener: () => {
          throw new Error('listener bug');
        },
      },
      what,
    );
    tracker.begin(new Map(), new Map([[0, 10]]));
    expect(() => tracker.finish()).not.toThrow();
    expect(logger.entries.map((line) => line.level)).toEqual(['info', 'info', 'warn']);
  });
});
