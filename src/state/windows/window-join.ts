import { ChangelogRestoreError } from '../../errors/changelog-restore-error';
import type { TopicKey } from '../../model/topics/key-serde';
import type { WindowJoinOptions } from '../../model/windows/window-join-options';
import { validateJoinOptions } from '../../model/windows/window-join-options';
import type { ChangelogEntry } from './changelog-entry';
import { STREAM_TIME_ID } from './changelog-entry';
import { advancedStreamTime, assertEventTime } from './event-time';
import type { Buffered, BufferedOf } from './join-buffer';
import { bufferOrder, JoinBuffer } from './join-buffer';
import type { JoinRecord } from './join-records';
import { joinBufferId, readJoinRecord } from './join-records';
import type { JoinOutcome, JoinResult } from './join-result';
import { MinHeap } from './min-heap';
import { PendingChanges } from './pending-changes';

/**
 * An inner stream-stream join on event time, as Kafka Streams' KStream#join with JoinWindows:
 * a left and a right record of the same key join when |tsL - tsR| <= withinMs. Both sides share
 * one stream time (the largest event time of either). A record is late once stream time passes
 * ts + withinMs + graceMs (its own join window has closed). Buffered records are kept until
 * stream time passes ts + 2 * withinMs + graceMs: a record that is not late can still need a
 * partner that old, and evicting it sooner would make the output depend on arrival order.
 */
export class WindowJoin<K extends TopicKey, L, R, O> {
  readonly #withinMs: number;
  readonly #graceMs: number;
  readonly #join: (left: L, right: R, key: K) => O;
  readonly #name: string;
  readonly #left = new JoinBuffer<BufferedOf<'left', K, L>>();
  readonly #right = new JoinBuffer<BufferedOf<'right', K, R>>();
  readonly #byId = new Map<string, Buffered<K, L, R>>();
  /** Every buffered record in expiry order; evicted ones are skipped when they surface. */
  readonly #expiring = new MinHeap<Buffered<K, L, R>>(bufferOrder);
  readonly #changes = new PendingChanges();
  #streamTime: number | undefined;
  #nextSeq = 0;
  #lateCount = 0;

  constructor(options: WindowJoinOptions<K, L, R, O>) {
    validateJoinOptions(options);
    this.#withinMs = options.withinMs;
    this.#graceMs = options.graceMs ?? 0;
    this.#join = options.join;
    this.#name = options.name === undefined ? 'WindowJoin' : `WindowJoin "${options.name}"`;
  }

  /** The largest event time seen on either side (or advanced to); undefined before the first. */
  get streamTime(): number | undefined {
    return this.#streamTime;
  }

  /** Records that arrived after their join window closed, since this instance was created. */
  get lateCount(): number {
    return this.#lateCount;
  }

  /** Records buffered on both sides. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * Joins a left record with the buffered right records of its key, then buffers it. A join
   * function that throws leaves the join as it was.
   */
  addLeft(key: K, value: L, timestamp: number): JoinOutcome<K, O> {
    assertEventTime(`${this.#name}.addLeft`, timestamp);
    return this.#add(
      timestamp,
      (from, to) =>
        this.#right.between(key, from, to).map((right) => ({
          key,
          value: this.#join(value, right.value, key),
          timestamp: Math.max(timestamp, right.timestamp),
        })),
      (seq) => ({
        id: joinBufferId('left', key, timestamp, seq),
        type: 'left',
        key,
        timestamp,
        seq,
        value,
      }),
    );
  }

  /**
   * Joins a right record with the buffered left records of its key, then buffers it. A join
   * function that throws leaves the join as it was.
   */
  addRight(key: K, value: R, timestamp: number): JoinOutcome<K, O> {
    assertEventTime(`${this.#name}.addRight`, timestamp);
    return this.#add(
      timestamp,
      (from, to) =>
        this.#left.between(key, from, to).map((left) => ({
          key,
          value: this.#join(left.value, value, key),
          timestamp: Math.max(timestamp, left.timestamp),
        })),
      (seq) => ({
        id: joinBufferId('right', key, timestamp, seq),
        type: 'right',
        key,
        timestamp,
        seq,
        value,
      }),
    );
  }

  /** Moves stream time forward without a record (never back) and evicts what that expires. */
  advanceTo(streamTime: number): void {
    assertEventTime(`${this.#name}.advanceTo`, streamTime);
    this.#setStreamTime(advancedStreamTime(this.#streamTime, streamTime));
    this.#evictExpired();
  }

  /**
   * The store changes since the last call, for the changelog: buffered records added, `value:
   * null` for those evicted, and the STREAM_TIME_ID entry (stream time and next arrival number).
   * Values hold the buffered values themselves: serialize them before the next add.
   */
  snapshotChanges(): ChangelogEntry<JoinRecord<K, L, R>>[] {
    return this.#changes.drain((id) => this.#stored(id));
  }

  /**
   * Replaces all state with a changelog's contents: entries in log order (later ones win, a null
   * value deletes) or the latest per id. Throws ChangelogRestoreError for an entry it cannot
   * read; nothing changes then.
   */
  restore(entries: Iterable<ChangelogEntry<JoinRecord<K, L, R>>>): void {
    const latest = new Map<string, unknown>();
    for (const entry of entries) latest.set(entry.id, entry.value);
    let clock: { readonly streamTime: number; readonly nextSeq: number } | undefined;
    const buffered: Buffered<K, L, R>[] = [];
    for (const [id, value] of latest) {
      if (value === null) continue;
      const record = readJoinRecord<K, L, R>(id, value);
      if (typeof record === 'string') throw new ChangelogRestoreError(this.#name, `${record}.`);
      if (record.type === 'stream-time') clock = record;
      else buffered.push({ ...record, id });
    }
    if (buffered.length > 0 && clock === undefined) {
      throw new ChangelogRestoreError(
        this.#name,
        `it holds buffered records but no "${STREAM_TIME_ID}" entry. The join of each co-partitioned pair of input partitions must write its changelog to (and restore from) that same changelog partition only.`,
      );
    }
    this.#left.clear();
    this.#right.clear();
    this.#byId.clear();
    this.#expiring.clear();
    for (const record of buffered) this.#insert(record);
    this.#streamTime = clock?.streamTime;
    // Never reuse an arrival number a buffered record holds, even if the clock entry lagged.
    const maxSeq = buffered.reduce((max, b) => Math.max(max, b.seq), -1);
    this.#nextSeq = Math.max(clock?.nextSeq ?? 0, maxSeq + 1);
    const ids = buffered.map((b) => b.id);
    this.#changes.reset(clock === undefined ? ids : [...ids, STREAM_TIME_ID]);
  }

  #add(
    timestamp: number,
    joinWithin: (from: number, to: number) => JoinResult<K, O>[],
    buffered: (seq: number) => Buffered<K, L, R>,
  ): JoinOutcome<K, O> {
    const streamTime = advancedStreamTime(this.#streamTime, timestamp);
    if (timestamp + this.#withinMs + this.#graceMs < streamTime) {
      this.#lateCount += 1;
      return { results: [], late: true };
    }
    const results = joinWithin(timestamp - this.#withinMs, timestamp + this.#withinMs);
    const record = buffered(this.#nextSeq);
    this.#nextSeq += 1;
    this.#insert(record);
    this.#changes.written(record.id);
    this.#changes.written(STREAM_TIME_ID); // nextSeq moved
    this.#setStreamTime(streamTime);
    this.#evictExpired();
    return { results, late: false };
  }

  /** Drops what no record that is not late can join any more: ts + 2 * within + grace < stream time. */
  #evictExpired(): void {
    const streamTime = this.#streamTime;
    if (streamTime === undefined) return;
    const oldestNeeded = streamTime - 2 * this.#withinMs - this.#graceMs;
    for (let next = this.#expiring.peek(); next !== undefined; next = this.#expiring.peek()) {
      if (next.timestamp >= oldestNeeded) break;
      this.#expiring.pop();
      if (this.#byId.get(next.id) !== next) continue;
      this.#byId.delete(next.id);
      if (next.type === 'left') this.#left.remove(next);
      else this.#right.remove(next);
      this.#changes.deleted(next.id);
    }
  }

  #insert(record: Buffered<K, L, R>): void {
    this.#byId.set(record.id, record);
    this.#expiring.push(record);
    if (record.type === 'left') this.#left.add(record);
    else this.#right.add(record);
  }

  #setStreamTime(streamTime: number): void {
    if (streamTime === this.#streamTime) return;
    this.#streamTime = streamTime;
    this.#changes.written(STREAM_TIME_ID);
  }

  #stored(id: string): JoinRecord<K, L, R> | undefined {
    if (id === STREAM_TIME_ID) {
      const streamTime = this.#streamTime;
      return streamTime === undefined
        ? undefined
        : { type: 'stream-time', streamTime, nextSeq: this.#nextSeq };
    }
    const record = this.#byId.get(id);
    if (record === undefined) return undefined;
    const { type, key, timestamp, seq } = record;
    return type === 'left'
      ? { type, key, timestamp, seq, value: record.value }
      : { type, key, timestamp, seq, value: record.value };
  }
}
