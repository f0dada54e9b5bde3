import type { SessionWindows } from '../../model/windows/window-spec';
import { session } from '../../model/windows/window-spec';
import { WindowedAggregator } from './windowed-aggregator';

/** Concatenates values per session, so results show which records (and merges) made them. */
function trail(window: SessionWindows, emit: 'update' | 'close') {
  return new WindowedAggregator<string, string, string>({
    window,
    initial: () => '',
    aggregate: (text, value) => text + value,
    merge: (earlier, later) => earlier + later,
    emit,
  });
}

describe('session windows', () => {
  it('start a one-record session [t, t] and grow it by records at most gap apart', () => {
    const sessions = trail(session(10), 'update');
    expect(sessions.add('a', 'x', 100)).toEqual({
      results: [
        { key: 'a', window: { start: 100, end: 100 }, aggregate: 'x', replaced: [], final: false },
      ],
      late: false,
    });
    // Exactly gap apart still merges; the grown session replaces the one-record session.
    expect(sessions.add('a', 'y', 110).results).toEqual([
      {
        key: 'a',
        window: { start: 100, end: 110 },
        aggregate: 'xy',
        replaced: [{ start: 100, end: 100 }],
        final: false,
      },
    ]);
    // gap + 1 apart starts a new session.
    expect(sessions.add('a', 'z', 121).results).toEqual([
      { key: 'a', window: { start: 121, end: 121 }, aggregate: 'z', replaced: [], final: false },
    ]);
  });

  it('keeps sessions of different keys apart', () => {
    const sessions = trail(session(10), 'update');
    sessions.add('a', 'x', 100);
    expect(sessions.add('b', 'y', 105).results).toMatchObject([
      { key: 'b', window: { start: 105, end: 105 }, aggregate: 'y', replaced: [] },
    ]);
  });

  it('merges two sessions a record bridges into one, reporting both as replaced', () => {
    const sessions = trail(session(10, { graceMs: 10 }), 'update');
    sessions.add('a', 'x', 0);
    sessions.add('a', 'y', 5);
    sessions.add('a', 'z', 20);
    expect(sessions.size).toBe(2);
    // 12 is within 10 of both 5 and 20: [0, 5] and [20, 20] become [0, 20].
    expect(sessions.add('a', 'm', 12)).toEqual({
      results: [
        {
          key: 'a',
          window: { start: 0, end: 20 },
          aggregate: 'xyzm', // earlier session's aggregate merged with the later one, then the record
          replaced: [
            { start: 0, end: 5 },
            { start: 20, end: 20 },
          ],
          final: false,
        },
      ],
      late: false,
    });
    expect(sessions.size).toBe(1);
  });

  it('replaces nothing when a record falls inside a session', () => {
    const sessions = trail(session(10, { graceMs: 10 }), 'update');
    sessions.add('a', 'x', 0);
    sessions.add('a', 'y', 8);
    expect(sessions.add('a', 'z', 4).results).toEqual([
      { key: 'a', window: { start: 0, end: 8 }, aggregate: 'xyz', replaced: [], final: false },
    ]);
  });

  it('counts a record older than stream time - grace as late, even if it would start a new session', () => {
    const sessions = trail(session(10, { graceMs: 5 }), 'update');
    sessions.add('a', 'x', 100);
    sessions.add('b', 'y', 106);
    expect(sessions.add('a', 'z', 101).late).toBe(false); // 101 + 5 >= 106
    // 100 + 5 < 106: a session of "a" ending before 96 could have closed already, so no guess.
    expect(sessions.add('a', 'w', 100)).toEqual({ results: [], late: true });
    expect(sessions.add('c', 'v', 50)).toEqual({ results: [], late: true });
    expect(sessions.lateCount).toBe(2);
  });

  it('reports merged-away sessions as deletions in the store changes', () => {
    const sessions = trail(session(10), 'update');
    sessions.add('a', 'x', 0);
    sessions.snapshotChanges();
    sessions.add('a', 'y', 5);
    expect(sessions.snapshotChanges()).toEqual([
      { id: 'a@0-0', value: null },
      { id: 'a@0-5', value: { type: 'window', key: 'a', start: 0, end: 5, aggregate: 'xy' } },
      { id: '~stream-time', value: { type: 'stream-time', streamTime: 5 } },
    ]);
  });
});

describe('session windows with emit "close"', () => {
  it('emit a session once, when stream time passes end + gap + grace, without replaced windows', () => {
    const sessions = trail(session(10, { graceMs: 2 }), 'close');
    expect(sessions.add('a', 'x', 0).results).toEqual([]);
    expect(sessions.add('a', 'y', 5).results).toEqual([]);
    expect(sessions.add('b', 'z', 8).results).toEqual([]);
    // [0, 5] could still grow until a record at 15 arrives, up to 2 ms late: open through 17.
    expect(sessions.advanceTo(17)).toEqual([]);
    expect(sessions.advanceTo(18)).toEqual([
      { key: 'a', window: { start: 0, end: 5 }, aggregate: 'xy', replaced: [], final: true },
    ]);
    expect(sessions.add('b', 'w', 18).results).toEqual([]); // [8, 8] grows to [8, 18]
    expect(sessions.advanceTo(30)).toEqual([]);
    expect(sessions.advanceTo(31)).toEqual([
      { key: 'b', window: { start: 8, end: 18 }, aggregate: 'zw', replaced: [], final: true },
    ]);
    expect(sessions.advanceTo(100)).toEqual([]);
    expect(sessions.size).toBe(0);
  });

  it('never emits a session a later record could still merge into', () => {
    const sessions = trail(session(10), 'close');
    sessions.add('a', 'x', 0);
    expect(sessions.advanceTo(10)).toEqual([]);
    sessions.add('a', 'y', 10); // exactly gap later: the same session
    expect(sessions.advanceTo(21)).toMatchObject([
      { window: { start: 0, end: 10 }, aggregate: 'xy' },
    ]);
  });
});
