import { ChangelogRestoreError } from '../../errors/changelog-restore-error';
import type { TopicKey } from '../../model/topics/key-serde';
import type { SessionWindows, TimeWindows, WindowSpec } from '../../model/windows/window-spec';
import { closeTimeOf } from '../../model/windows/window-spec';
import type { WindowedAggregatorOptions } from '../../model/windows/windowed-aggregator-options';
import { validateAggregatorOptions } from '../../model/windows/windowed-aggregator-options';
import type { AggregatorRecord } from './aggregator-records';
import { readAggregatorRecord } from './aggregator-records';
import type { ChangelogEntry } from './changelog-entry';
import { STREAM_TIME_ID } from './changelog-entry';
import { advancedStreamTime, assertEventTime } from './event-time';
import { MinHeap } from './min-heap';
import { PendingChanges } from './pending-changes';
import { SessionIndex } from './session-index';
import { timeWindowsFor } from './time-windows';
import type { Window } from './window';
import { sameWindow, windowStoreId } from './window';
import type { AddOutcome, WindowResult } from './window-result';
import type { WindowSlot } from './window-slot';
import { closeOrder } from './window-slot';

/** A window's new aggregate, computed before anything changes so a throwing user function changes nothing. */
interface PlannedWindow<A> {
  readonly window: Window;
  readonly aggregate: A;
}

/**
 * Windowed aggregation per key on event time, as Kafka Streams' windowed aggregate: tumbling,
 * hopping or session windows with a grace period, results on every update or once at close. Pure
 * and synchronous: time is only the records' timestamps and the stream time they make (the
 * largest seen), so one instance per input partition replays identically.
 */
export class WindowedAggregator<K extends TopicKey, V, A> {
  readonly #spec: WindowSpec;
  readonly #initial: () => A;
  readonly #aggregate: (acc: A, value: V, key: K) => A;
  readonly #merge: (a: A, b: A, key: K) => A;
  readonly #emit: 'update' | 'close';
  readonly #name: string;
  readonly #slots = new Map<string, WindowSlot<K, A>>();
  readonly #sessions = new SessionIndex<WindowSlot<K, A>>();
  /** Live slots plus stale ones (replaced by a merge) that are skipped when they surface. */
  readonly #closing = new MinHeap<WindowSlot<K, A>>(closeOrder);
  readonly #changes = new PendingChanges();
  #streamTime: number | undefined;
  #lateCount = 0;

  constructor(options: WindowedAggregatorOptions<K, V, A>) {
    validateAggregatorOptions(options);
    this.#spec = options.window;
    this.#initial = options.initial;
    this.#aggregate = options.aggregate;
    this.#merge = options.merge ?? ((_a, b) => b);
    this.#emit = options.emit;
    this.#name =
      options.name === undefined ? 'WindowedAggregator' : `WindowedAggregator "${options.name}"`;
  }

  /** The largest event time seen (or advanced to); undefined before the first record. */
  get streamTime(): number | undefined {
    return this.#streamTime;
  }

  /** Records that arrived after their windows closed, since this instance was created. */
  get lateCount(): number {
    return this.#lateCount;
  }

  /** Windows held in memory. */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * Aggregates one record into its windows. A user function that throws leaves the aggregator as
   * it was, so the record can be retried or dead-lettered.
   */
  add(key: K, value: V, timestamp: number): AddOutcome<K, A> {
    assertEventTime(`${this.#name}.add`, timestamp);
    const streamTime = advancedStreamTime(this.#streamTime, timestamp);
    const spec = this.#spec;
    const updated =
      spec.kind === 'session'
        ? this.#addToSession(spec, key, value, timestamp, streamTime)
        : this.#addToTimeWindows(spec, key, value, timestamp, streamTime);
    this.#setStreamTime(streamTime);
    const closed = this.#closeExpired();
    if (updated === undefined) {
      this.#lateCount += 1;
      return { results: closed, late: true };
    }
    return { results: this.#emit === 'update' ? updated : closed, late: false };
  }

  /**
   * Moves stream time forward without a record (time never goes back: an earlier time only
   * re-checks) and closes what that ends. Returns the final results with emit 'close', else [].
   */
  advanceTo(streamTime: number): WindowResult<K, A>[] {
    assertEventTime(`${this.#name}.advanceTo`, streamTime);
    this.#setStreamTime(advancedStreamTime(this.#streamTime, streamTime));
    return this.#closeExpired();
  }

  /**
   * The store changes since the last call, for the changelog: one entry per changed id with its
   * latest value, `value: null` for a window evicted or replaced, and the stream time entry
   * (STREAM_TIME_ID) whenever it moved. Values hold the live aggregates: serialize them before
   * the next add.
   */
  snapshotChanges(): ChangelogEntry<AggregatorRecord<K, A>>[] {
    return this.#changes.drain((id) => this.#stored(id));
  }

  /**
   * Replaces all state with a changelog's contents: its entries in log order (later ones win, a
   * null value deletes) or just the latest per id. Closed windows it still holds close on the
   * next add or advanceTo. Throws ChangelogRestoreError for entries these options cannot have
   * written; nothing changes then.
   */
  restore(entries: Iterable<ChangelogEntry<AggregatorRecord<K, A>>>): void {
    const latest = new Map<string, unknown>();
    for (const entry of entries) latest.set(entry.id, entry.value);
    let streamTime: number | undefined;
    const slots: WindowSlot<K, A>[] = [];
    for (const [id, value] of latest) {
      if (value === null) continue;
      const record = readAggregatorRecord<K, A>(this.#spec, id, value);
      if (typeof record === 'string') throw new ChangelogRestoreError(this.#name, `${record}.`);
      if (record.type === 'stream-time') streamTime = record.streamTime;
      else slots.push(this.#slot(id, record.key, record, record.aggregate));
    }
    if (slots.length > 0 && streamTime === undefined) {
      throw new ChangelogRestoreError(
        this.#name,
        `it holds windows but no "${STREAM_TIME_ID}" entry. Each input partition's aggregator must write its changelog to (and restore from) that same changelog partition only.`,
      );
    }
    this.#slots.clear();
    this.#sessions.clear();
    this.#closing.clear();
    for (const slot of slots) this.#insert(slot);
    this.#streamTime = streamTime;
    const ids = slots.map((s) => s.id);
    this.#changes.reset(streamTime === undefined ? ids : [...ids, STREAM_TIME_ID]);
  }

  #addToTimeWindows(
    spec: TimeWindows,
    key: K,
    value: V,
    timestamp: number,
    streamTime: number,
  ): WindowResult<K, A>[] | undefined {
    const planned: PlannedWindow<A>[] = [];
    for (const window of timeWindowsFor(spec, timestamp)) {
      // A closed window keeps the result it has; the record still counts in the open ones.
      if (closeTimeOf(spec, window) <= streamTime) continue;
      const current = this.#slots.get(windowStoreId(key, window))?.aggregate ?? this.#initial();
      planned.push({ window, aggregate: this.#aggregate(current, value, key) });
    }
    if (planned.length === 0) return undefined;
    return planned.map(({ window, aggregate }) => {
      const slot = this.#slots.get(windowStoreId(key, window));
      if (slot === undefined) return this.#result(this.#put(key, window, aggregate), []);
      slot.aggregate = aggregate;
      this.#changes.written(slot.id);
      return this.#result(slot, []);
    });
  }

  #addToSession(
    spec: SessionWindows,
    key: K,
    value: V,
    timestamp: number,
    streamTime: number,
  ): WindowResult<K, A>[] | undefined {
    // Stricter than Kafka Streams by up to one gap: a record older than stream time - grace could
    // belong to a session that already closed (and was emitted and evicted), so it is late even
    // if no such session existed. This keeps 'close' results final.
    if (timestamp + spec.graceMs < streamTime) return undefined;
    const keyText = String(key);
    const touching = this.#sessions.touching(keyText, timestamp, spec.gapMs);
    let start = timestamp;
    let end = timestamp;
    let acc: A | undefined;
    for (const session of touching) {
      start = Math.min(start, session.window.start);
      end = Math.max(end, session.window.end);
      acc = acc === undefined ? session.aggregate : this.#merge(acc, session.aggregate, key);
    }
    const aggregate = this.#aggregate(acc ?? this.#initial(), value, key);
    const window: Window = { start, end };
    const replaced = touching.filter((s) => !sameWindow(s.window, window)).map((s) => s.window);
    for (const session of touching) this.#remove(session);
    const slot = this.#put(key, window, aggregate);
    return [this.#result(slot, this.#emit === 'update' ? replaced : [])];
  }

  /** Evicts every window closed at the current stream time; their final results with emit 'close'. */
  #closeExpired(): WindowResult<K, A>[] {
    const streamTime = this.#streamTime;
    const closed: WindowResult<K, A>[] = [];
    if (streamTime === undefined) return closed;
    for (let next = this.#closing.peek(); next !== undefined; next = this.#closing.peek()) {
      if (next.closesAt > streamTime) break;
      this.#closing.pop();
      if (this.#slots.get(next.id) !== next) continue;
      this.#remove(next);
      if (this.#emit === 'close') closed.push({ ...this.#result(next, []), final: true });
    }
    return closed;
  }

  #setStreamTime(streamTime: number): void {
    if (streamTime === this.#streamTime) return;
    this.#streamTime = streamTime;
    this.#changes.written(STREAM_TIME_ID);
  }

  #slot(id: string, key: K, window: Window, aggregate: A): WindowSlot<K, A> {
    const bounds = { start: window.start, end: window.end };
    return { id, key, window: bounds, closesAt: closeTimeOf(this.#spec, bounds), aggregate };
  }

  #put(key: K, window: Window, aggregate: A): WindowSlot<K, A> {
    const slot = this.#slot(windowStoreId(key, window), key, window, aggregate);
    this.#insert(slot);
    this.#changes.written(slot.id);
    return slot;
  }

  #insert(slot: WindowSlot<K, A>): void {
    this.#slots.set(slot.id, slot);
    this.#closing.push(slot);
    if (this.#spec.kind === 'session') this.#sessions.add(String(slot.key), slot);
  }

  #remove(slot: WindowSlot<K, A>): void {
    this.#slots.delete(slot.id);
    if (this.#spec.kind === 'session') this.#sessions.remove(String(slot.key), slot);
    this.#changes.deleted(slot.id);
  }

  #stored(id: string): AggregatorRecord<K, A> | undefined {
    if (id === STREAM_TIME_ID) {
      const streamTime = this.#streamTime;
      return streamTime === undefined ? undefined : { type: 'stream-time', streamTime };
    }
    const slot = this.#slots.get(id);
    if (slot === undefined) return undefined;
    const { key, window, aggregate } = slot;
    return { type: 'window', key, start: window.start, end: window.end, aggregate };
  }

  #result(slot: WindowSlot<K, A>, replaced: readonly Window[]): WindowResult<K, A> {
    return {
      key: slot.key,
      window: slot.window,
      aggregate: slot.aggregate,
      replaced,
      final: false,
    };
  }
}
