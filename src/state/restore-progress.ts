import type { Clock } from '../clock/clock';
import type { Logger } from '../logging/logger';

/**
 * How far one restore got: a @Materialize view catching up with its topic at start, or a @State
 * or windowed store reading its changelog for newly assigned partitions. Counted in offsets
 * between the position each partition started at and the end offset it had when the restore
 * began, so offsets that hold no record (compacted away, transaction markers) count as read.
 */
export interface RestoreProgress {
  /** 'table' for a @Materialize view, 'store' for a @State or windowed store. */
  readonly kind: 'table' | 'store';
  /** `<service>.<property>` of a view, `<service>.<store name>` of a store. */
  readonly name: string;
  /** The topic being read: the view's topic or the store's changelog. */
  readonly topic: string;
  /** Records read since the restore began. */
  readonly done: number;
  /** Records still to read up to the end offsets the restore began with. */
  readonly remaining: number;
  /** `done` per second of the clock since the restore began. */
  readonly recordsPerSecond: number;
  readonly elapsedMs: number;
  /** True on the restore's last event: it caught up (`remaining` is 0). */
  readonly finished: boolean;
}

export type RestoreProgressListener = (progress: RestoreProgress) => void;

/** Where restore progress goes: the logger, and the app's listener when it has one. */
export interface RestoreReporting {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly listener?: RestoreProgressListener;
  /** Least time between two reports while a restore runs (default 2 s); the end always reports. */
  readonly intervalMs?: number;
}

export const RESTORE_REPORT_INTERVAL_MS = 2_000;

/**
 * Follows one restore: logs its start, and reports its progress every `intervalMs` of the clock
 * and once at the end. It is told positions (`advance`), never woken by a timer: nothing to stop, and a restore
 * that moves no record reports nothing until it moves again.
 */
export class RestoreTracker {
  readonly #reporting: RestoreReporting;
  readonly #what: Pick<RestoreProgress, 'kind' | 'name' | 'topic'>;
  readonly #interval: number;
  readonly #ends = new Map<number, number>();
  readonly #positions = new Map<number, number>();
  #done = 0;
  #remaining = 0;
  #began = 0;
  #lastReport = 0;
  #state: 'idle' | 'running' | 'finished' = 'idle';

  constructor(reporting: RestoreReporting, what: Pick<RestoreProgress, 'kind' | 'name' | 'topic'>) {
    this.#reporting = reporting;
    this.#what = what;
    this.#interval = reporting.intervalMs ?? RESTORE_REPORT_INTERVAL_MS;
  }

  /** Starts counting: per partition, the position it starts at and the end offset to reach. */
  begin(starts: ReadonlyMap<number, number>, ends: ReadonlyMap<number, number>): void {
    this.#ends.clear();
    this.#positions.clear();
    this.#done = 0;
    this.#remaining = 0;
    for (const [partition, end] of ends) {
      const start = Math.min(starts.get(partition) ?? 0, end);
      this.#ends.set(partition, end);
      this.#positions.set(partition, start);
      this.#remaining += end - start;
    }
    this.#began = this.#reporting.clock.now();
    this.#lastReport = this.#began;
    this.#state = 'running';
    // A restore with nothing to read stays quiet; one that reads says so before it takes time.
    if (this.#remaining > 0) {
      this.#reporting.logger.info('restore started', {
        ...this.#what,
        remaining: this.#remaining,
        partitions: this.#ends.size,
      });
    }
  }

  /** The partition's next offset to read is now `nextOffset`; reports when the interval passed. */
  advance(partition: number, nextOffset: number): void {
    if (this.#state !== 'running') return;
    const end = this.#ends.get(partition);
    const position = this.#positions.get(partition);
    if (end === undefined || position === undefined || nextOffset <= position) return;
    const moved = Math.min(nextOffset, end) - position;
    if (moved <= 0) return;
    this.#positions.set(partition, position + moved);
    this.#done += moved;
    this.#remaining -= moved;
    const now = this.#reporting.clock.now();
    if (now - this.#lastReport >= this.#interval) {
      this.#lastReport = now;
      this.#report(now, false);
    }
  }

  /**
   * The restore caught up: every offset up to the ends was read, whether or not each was told.
   * Reports once more, with `finished: true`; later calls do nothing.
   */
  finish(): void {
    if (this.#state !== 'running') return;
    this.#state = 'finished';
    this.#done += this.#remaining;
    this.#remaining = 0;
    this.#report(this.#reporting.clock.now(), true);
  }

  #report(now: number, finished: boolean): void {
    const elapsedMs = now - this.#began;
    const progress: RestoreProgress = {
      ...this.#what,
      done: this.#done,
      remaining: this.#remaining,
      recordsPerSecond: elapsedMs > 0 ? Math.round((this.#done * 1_000) / elapsedMs) : 0,
      elapsedMs,
      finished,
    };
    const { logger, listener } = this.#reporting;
    logger.info(finished ? 'restore finished' : 'restoring', { ...progress });
    if (listener === undefined) return;
    try {
      listener(progress);
    } catch (error) {
      // A listener's bug must not stop a view or a store from restoring.
      logger.warn('the onRestoreProgress listener threw; the restore goes on', { error });
    }
  }
}
