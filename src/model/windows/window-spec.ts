import { InvalidWindowError } from '../../errors/invalid-window-error';

/**
 * Fixed-size windows [start, start + sizeMs) whose starts are the multiples of advanceMs since
 * epoch 0 (tumbling: advanceMs = sizeMs, so every record is in exactly one window).
 */
export interface TimeWindows {
  readonly kind: 'tumbling' | 'hopping';
  readonly sizeMs: number;
  readonly advanceMs: number;
  /** How long after a window's end records for it are still accepted. */
  readonly graceMs: number;
}

/** Per-key bursts of activity: records at most gapMs apart share a session. */
export interface SessionWindows {
  readonly kind: 'session';
  readonly gapMs: number;
  /** How long after a session could last have grown records for it are still accepted. */
  readonly graceMs: number;
}

export type WindowSpec = TimeWindows | SessionWindows;

export interface GraceOptions {
  /** Default 0: a window closes as soon as stream time reaches its end. */
  readonly graceMs?: number;
}

/** Hopping windows per record at most: an advance of 1 ms on a day-long window must not stall a partition. */
export const MAX_WINDOWS_PER_RECORD = 10_000;

/** Windows of `sizeMs` that do not overlap: [0, size), [size, 2 size), ... */
export function tumbling(sizeMs: number, options: GraceOptions = {}): TimeWindows {
  const where = `tumbling(${String(sizeMs)})`;
  requirePositive(where, 'sizeMs', sizeMs, 'tumbling(60_000) for one-minute windows');
  const graceMs = graceOf(where, options);
  return Object.freeze({ kind: 'tumbling', sizeMs, advanceMs: sizeMs, graceMs });
}

/** Windows of `sizeMs` starting every `advanceMs`: a record belongs to about size / advance of them. */
export function hopping(
  sizeMs: number,
  advanceMs: number,
  options: GraceOptions = {},
): TimeWindows {
  const where = `hopping(${String(sizeMs)}, ${String(advanceMs)})`;
  const example = 'hopping(300_000, 60_000) for five-minute windows every minute';
  requirePositive(where, 'sizeMs', sizeMs, example);
  requirePositive(where, 'advanceMs', advanceMs, example);
  if (advanceMs > sizeMs) {
    throw new InvalidWindowError(
      where,
      `advanceMs must not exceed sizeMs: records between two windows would belong to none. Use tumbling(${sizeMs}) for windows that do not overlap, or a smaller advanceMs.`,
    );
  }
  const perRecord = Math.ceil(sizeMs / advanceMs);
  if (perRecord > MAX_WINDOWS_PER_RECORD) {
    throw new InvalidWindowError(
      where,
      `every record would belong to ${perRecord} windows, more than ${MAX_WINDOWS_PER_RECORD}. Use an advanceMs of at least ${Math.ceil(sizeMs / MAX_WINDOWS_PER_RECORD)}.`,
    );
  }
  const graceMs = graceOf(where, options);
  return Object.freeze({ kind: 'hopping', sizeMs, advanceMs, graceMs });
}

/** Sessions per key that end after `gapMs` without a record, as Kafka Streams' SessionWindows. */
export function session(gapMs: number, options: GraceOptions = {}): SessionWindows {
  const where = `session(${String(gapMs)})`;
  requirePositive(
    where,
    'gapMs',
    gapMs,
    'session(3_600_000) for sessions that end after an idle hour',
  );
  const graceMs = graceOf(where, options);
  return Object.freeze({ kind: 'session', gapMs, graceMs });
}

/**
 * The stream time at which a window closes: from then on it takes no records, is evicted, and
 * with emit 'close' yields its final result. A time window closes at end + grace (its end is
 * exclusive, as in Kafka Streams). A session closes one millisecond after end + gap + grace: until
 * then a record inside the grace period could still extend it.
 */
export function closeTimeOf(spec: WindowSpec, window: { readonly end: number }): number {
  return spec.kind === 'session'
    ? window.end + spec.gapMs + spec.graceMs + 1
    : window.end + spec.graceMs;
}

export function isWindowSpec(value: unknown): value is WindowSpec {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  return value.kind === 'tumbling' || value.kind === 'hopping' || value.kind === 'session';
}

function requirePositive(where: string, field: string, value: number, example: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidWindowError(
      where,
      `${field} must be a positive whole number of milliseconds, e.g. ${example}.`,
    );
  }
}

function graceOf(where: string, options: GraceOptions): number {
  const graceMs = options.graceMs ?? 0;
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
    throw new InvalidWindowError(
      where,
      `graceMs must be a whole number of milliseconds >= 0 (how long after a window ends late records are still accepted); got ${String(graceMs)}.`,
    );
  }
  return graceMs;
}
