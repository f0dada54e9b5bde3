import type { TopicKey } from '../../model/topics/key-serde';
import { compareKeys } from './key-order';
import type { Window } from './window';

/** One key's window in memory. Bounds never change: a session that grows becomes a new slot. */
export interface WindowSlot<K extends TopicKey, A> {
  readonly id: string;
  readonly key: K;
  readonly window: Window;
  /** Stream time at which the window closes (closeTimeOf). */
  readonly closesAt: number;
  aggregate: A;
}

/** Window-end order, then start, then key: the order windows close and 'close' results come out. */
export function closeOrder<K extends TopicKey, A>(
  a: WindowSlot<K, A>,
  b: WindowSlot<K, A>,
): number {
  return (
    a.window.end - b.window.end || a.window.start - b.window.start || compareKeys(a.key, b.key)
  );
}
