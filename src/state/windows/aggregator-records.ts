import type { TopicKey } from '../../model/topics/key-serde';
import type { WindowSpec } from '../../model/windows/window-spec';
import { STREAM_TIME_ID } from './changelog-entry';
import { isKey, isRecord, isTime } from './stored-values';
import type { Window } from './window';
import { windowStoreId } from './window';

/** A window entry of the changelog, under id windowStoreId(key, {start, end}). */
export interface StoredWindow<K, A> {
  readonly type: 'window';
  readonly key: K;
  readonly start: number;
  readonly end: number;
  readonly aggregate: A;
}

/** The engine's stream time, under id STREAM_TIME_ID. */
export interface StoredStreamTime {
  readonly type: 'stream-time';
  readonly streamTime: number;
}

/** The values a WindowedAggregator writes to its changelog. */
export type AggregatorRecord<K, A> = StoredWindow<K, A> | StoredStreamTime;

/** Reads one restored entry back, or says what is wrong with it (for ChangelogRestoreError). */
export function readAggregatorRecord<K extends TopicKey, A>(
  spec: WindowSpec,
  id: string,
  value: unknown,
): AggregatorRecord<K, A> | string {
  if (!isRecord(value)) return `entry "${id}" is not an object`;
  if (value.type === 'stream-time') {
    if (id !== STREAM_TIME_ID) return `a stream-time entry has id "${id}", not "${STREAM_TIME_ID}"`;
    if (!isTime(value.streamTime)) return `entry "${id}" has no valid streamTime`;
    return { type: 'stream-time', streamTime: value.streamTime };
  }
  if (value.type !== 'window')
    return `entry "${id}" has unknown type ${JSON.stringify(value.type)}`;
  const { key, start, end } = value;
  if (!isKey(key) || !isTime(start) || !isTime(end) || end < start) {
    return `entry "${id}" needs a string or number key and whole start <= end times`;
  }
  if (!('aggregate' in value)) return `entry "${id}" has no aggregate`;
  const window: Window = { start, end };
  if (windowStoreId(key, window) !== id) {
    return `entry "${id}" holds window ${windowStoreId(key, window)}; was the changelog keyed by another scheme?`;
  }
  const mismatch = windowMismatch(spec, window);
  if (mismatch !== undefined) {
    return `entry "${id}" ${mismatch}: the window options changed since it was written. Keep the old options, or start this aggregation from an empty changelog (a new store name) and replay its input.`;
  }
  return { type: 'window', key: key as K, start, end, aggregate: value.aggregate as A };
}

function windowMismatch(spec: WindowSpec, window: Window): string | undefined {
  if (spec.kind === 'session') return undefined;
  if (window.end - window.start !== spec.sizeMs) {
    return `is ${window.end - window.start} ms long, but the windows are ${spec.sizeMs} ms`;
  }
  if (window.start % spec.advanceMs !== 0) {
    return `starts at ${window.start}, not a multiple of the ${spec.advanceMs} ms advance`;
  }
  return undefined;
}
