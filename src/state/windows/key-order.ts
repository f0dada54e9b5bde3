import type { TopicKey } from '../../model/topics/key-serde';

/**
 * A total order on keys that never depends on arrival or Map order, so results emitted together
 * come out the same way in every instance and after every restore. Numbers compare numerically,
 * text by UTF-16 code units (not locale).
 */
export function compareKeys(a: TopicKey, b: TopicKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
