import { ErrorCodes } from '../../errors/error-codes';
import { InvalidWindowError } from '../../errors/invalid-window-error';
import { timeWindowsFor } from '../../state/windows/time-windows';
import { closeTimeOf, hopping, session, tumbling } from './window-spec';

function failure(build: () => unknown): InvalidWindowError {
  try {
    build();
  } catch (error) {
    if (error instanceof InvalidWindowError) return error;
    throw error;
  }
  throw new Error('expected an InvalidWindowError');
}

describe('window specs', () => {
  it('default the grace period to 0 and are frozen', () => {
    expect(tumbling(100)).toEqual({ kind: 'tumbling', sizeMs: 100, advanceMs: 100, graceMs: 0 });
    expect(hopping(100, 25, { graceMs: 5 })).toEqual({
      kind: 'hopping',
      sizeMs: 100,
      advanceMs: 25,
      graceMs: 5,
    });
    expect(session(60, { graceMs: 10 })).toEqual({ kind: 'session', gapMs: 60, graceMs: 10 });
    expect(Object.isFrozen(tumbling(100))).toBe(true);
  });

  it.each([
    ['a zero size', () => tumbling(0), 'tumbling(0): sizeMs must be a positive whole number'],
    ['a fractional size', () => tumbling(1.5), 'tumbling(1.5): sizeMs must be'],
    ['NaN', () => tumbling(NaN), 'tumbling(NaN): sizeMs must be'],
    ['a negative advance', () => hopping(100, -1), 'hopping(100, -1): advanceMs must be'],
    ['a zero gap', () => session(0), 'session(0): gapMs must be a positive whole number'],
    ['a negative grace', () => tumbling(100, { graceMs: -1 }), 'graceMs must be a whole number'],
  ])('rejects %s, naming the field', (_label, build, text) => {
    const error = failure(build);
    expect(error.message).toContain(text);
    expect(error.code).toBe(ErrorCodes.INVALID_WINDOW);
  });

  it('rejects an advance larger than the size and says what to use instead', () => {
    expect(failure(() => hopping(100, 200)).message).toBe(
      'hopping(100, 200): advanceMs must not exceed sizeMs: records between two windows would belong to none. Use tumbling(100) for windows that do not overlap, or a smaller advanceMs.',
    );
  });

  it('rejects hopping windows that would put a record in more than 10 000 windows', () => {
    expect(failure(() => hopping(86_400_000, 1)).message).toContain(
      'every record would belong to 86400000 windows, more than 10000. Use an advanceMs of at least 8640.',
    );
    expect(() => hopping(10_000, 1)).not.toThrow();
  });

  it('closes a time window at end + grace and a session one ms after end + gap + grace', () => {
    expect(closeTimeOf(tumbling(100, { graceMs: 20 }), { end: 100 })).toBe(120);
    expect(closeTimeOf(session(30, { graceMs: 20 }), { end: 100 })).toBe(151);
  });
});

describe('timeWindowsFor', () => {
  it('puts a tumbling record in [start, end): a record at exactly the end opens the next window', () => {
    const spec = tumbling(100);
    expect(timeWindowsFor(spec, 0)).toEqual([{ start: 0, end: 100 }]);
    expect(timeWindowsFor(spec, 99)).toEqual([{ start: 0, end: 100 }]);
    expect(timeWindowsFor(spec, 100)).toEqual([{ start: 100, end: 200 }]);
    expect(timeWindowsFor(spec, 1_234)).toEqual([{ start: 1_200, end: 1_300 }]);
  });

  it('puts a hopping record in size / advance windows, earliest first', () => {
    expect(timeWindowsFor(hopping(100, 25), 130)).toEqual([
      { start: 50, end: 150 },
      { start: 75, end: 175 },
      { start: 100, end: 200 },
      { start: 125, end: 225 },
    ]);
    // 150 is the end of [50, 150): not in it.
    expect(timeWindowsFor(hopping(100, 25), 150).map((w) => w.start)).toEqual([75, 100, 125, 150]);
  });

  it('starts no window before epoch 0', () => {
    expect(timeWindowsFor(hopping(100, 25), 30)).toEqual([
      { start: 0, end: 100 },
      { start: 25, end: 125 },
    ]);
  });

  it('aligns windows when the advance does not divide the size', () => {
    expect(timeWindowsFor(hopping(10, 3), 10)).toEqual([
      { start: 3, end: 13 },
      { start: 6, end: 16 },
      { start: 9, end: 19 },
    ]);
  });
});
