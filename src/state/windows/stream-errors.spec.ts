import { ChangelogRestoreError } from '../../errors/changelog-restore-error';
import type { ErrorCode } from '../../errors/error-codes';
import { ErrorCodes } from '../../errors/error-codes';
import { InvalidEventTimeError } from '../../errors/invalid-event-time-error';
import { InvalidWindowError } from '../../errors/invalid-window-error';
import { LateRecordError } from '../../errors/late-record-error';
import { StreamwiseError } from '../../errors/streamwise-error';

describe.each<[string, StreamwiseError, ErrorCode, string[]]>([
  [
    'InvalidWindowError',
    new InvalidWindowError('tumbling(0)', 'sizeMs must be positive.'),
    ErrorCodes.INVALID_WINDOW,
    ['tumbling(0): sizeMs must be positive.'],
  ],
  [
    'InvalidEventTimeError',
    new InvalidEventTimeError('WindowJoin.addLeft', -1),
    ErrorCodes.INVALID_EVENT_TIME,
    ['WindowJoin.addLeft: -1 is not an event time', 'epoch milliseconds', 'dead-letter it'],
  ],
  [
    'LateRecordError',
    new LateRecordError(1_000, 61_000, 5_000),
    ErrorCodes.LATE_RECORD,
    [
      'event time 1000 (1970-01-01T00:00:01.000Z)',
      '60000 ms later',
      'grace period is 5000 ms',
      'raise graceMs',
    ],
  ],
  [
    'ChangelogRestoreError',
    new ChangelogRestoreError('WindowJoin "emails"', 'entry "x" is not an object.'),
    ErrorCodes.CHANGELOG_RESTORE,
    ['Cannot restore WindowJoin "emails" from its changelog: entry "x" is not an object.'],
  ],
])('%s', (name, error, code, mentions) => {
  it('is a StreamwiseError with its own code and name, not retriable', () => {
    expect(error).toBeInstanceOf(StreamwiseError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.retriable).toBe(false);
  });

  it('says what went wrong and what to do', () => {
    for (const text of mentions) expect(error.message).toContain(text);
  });
});

it('keeps the late record’s times for the dead-letter headers and metrics', () => {
  const error = new LateRecordError(1_000, 61_000, 5_000);
  expect([error.timestamp, error.streamTime, error.graceMs]).toEqual([1_000, 61_000, 5_000]);
});
