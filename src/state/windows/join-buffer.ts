import type { TopicKey } from '../../model/topics/key-serde';
import type { JoinSide, StoredJoinRecord } from './join-records';

/** One buffered record of a side, waiting for partners: its changelog value plus its id. */
export type BufferedOf<S extends JoinSide, K extends TopicKey, T> = StoredJoinRecord<S, K, T> & {
  readonly id: string;
};

export type Buffered<K extends TopicKey, L, R> =
  BufferedOf<'left', K, L> | BufferedOf<'right', K, R>;

interface Ordered {
  readonly key: TopicKey;
  readonly timestamp: number;
  readonly seq: number;
}

/** (event time, arrival) order: the order partners are joined and buffered records expire. */
export function bufferOrder(a: Ordered, b: Ordered): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

/** One side's buffered records per key, in bufferOrder. */
export class JoinBuffer<E extends Ordered> {
  readonly #byKey = new Map<string, E[]>();

  /** The key's records with from <= timestamp <= to, in bufferOrder. */
  between(key: TopicKey, from: number, to: number): E[] {
    const records = this.#byKey.get(String(key)) ?? [];
    const found: E[] = [];
    for (let i = firstAtOrAfter(records, from); i < records.length; i += 1) {
      if (records[i].timestamp > to) break;
      found.push(records[i]);
    }
    return found;
  }

  add(record: E): void {
    const keyText = String(record.key);
    const records = this.#byKey.get(keyText);
    if (records === undefined) {
      this.#byKey.set(keyText, [record]);
      return;
    }
    // Records mostly arrive in order, so the place is usually at the end.
    let at = records.length;
    while (at > 0 && bufferOrder(records[at - 1], record) > 0) at -= 1;
    records.splice(at, 0, record);
  }

  remove(record: E): void {
    const keyText = String(record.key);
    const records = this.#byKey.get(keyText);
    if (records === undefined) return;
    const at = records.indexOf(record);
    if (at !== -1) records.splice(at, 1);
    if (records.length === 0) this.#byKey.delete(keyText);
  }

  clear(): void {
    this.#byKey.clear();
  }
}

/** Binary search: the index of the first record with timestamp >= `from`. */
function firstAtOrAfter(records: readonly Ordered[], from: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (records[mid].timestamp < from) low = mid + 1;
    else high = mid;
  }
  return low;
}
