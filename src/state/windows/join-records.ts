import type { TopicKey } from '../../model/topics/key-serde';
import { STREAM_TIME_ID } from './changelog-entry';
import { isKey, isRecord, isTime } from './stored-values';

export type JoinSide = 'left' | 'right';

/** A buffered record of one side, under id joinBufferId(side, key, timestamp, seq). */
export interface StoredJoinRecord<S extends JoinSide, K, T> {
  readonly type: S;
  readonly key: K;
  readonly timestamp: number;
  /** Arrival order across both sides, so equal timestamps join in the same order after a restore. */
  readonly seq: number;
  readonly value: T;
}

/** The join's stream time and next arrival number, under id STREAM_TIME_ID. */
export interface StoredJoinClock {
  readonly type: 'stream-time';
  readonly streamTime: number;
  readonly nextSeq: number;
}

/** The values a WindowJoin writes to its changelog. */
export type JoinRecord<K, L, R> =
  StoredJoinRecord<'left', K, L> | StoredJoinRecord<'right', K, R> | StoredJoinClock;

/** `${side}:${key}@${timestamp}#${seq}`; seq is unique, the rest makes the changelog readable. */
export function joinBufferId(
  side: JoinSide,
  key: TopicKey,
  timestamp: number,
  seq: number,
): string {
  return `${side}:${String(key)}@${timestamp}#${seq}`;
}

/** Reads one restored entry back, or says what is wrong with it (for ChangelogRestoreError). */
export function readJoinRecord<K extends TopicKey, L, R>(
  id: string,
  value: unknown,
): JoinRecord<K, L, R> | string {
  if (!isRecord(value)) return `entry "${id}" is not an object`;
  if (value.type === 'stream-time') {
    if (id !== STREAM_TIME_ID) return `a stream-time entry has id "${id}", not "${STREAM_TIME_ID}"`;
    const { streamTime, nextSeq } = value;
    if (!isTime(streamTime) || !isTime(nextSeq)) {
      return `entry "${id}" needs whole streamTime and nextSeq numbers`;
    }
    return { type: 'stream-time', streamTime, nextSeq };
  }
  const { type, key, timestamp, seq } = value;
  if (type !== 'left' && type !== 'right') {
    return `entry "${id}" has unknown type ${JSON.stringify(type)}`;
  }
  if (!isKey(key) || !isTime(timestamp) || !isTime(seq) || !('value' in value)) {
    return `entry "${id}" needs a string or number key, whole timestamp and seq, and a value`;
  }
  if (joinBufferId(type, key, timestamp, seq) !== id) {
    return `entry "${id}" holds ${joinBufferId(type, key, timestamp, seq)}; was the changelog keyed by another scheme?`;
  }
  return type === 'left'
    ? { type, key: key as K, timestamp, seq, value: value.value as L }
    : { type, key: key as K, timestamp, seq, value: value.value as R };
}
