import { LateRecordError } from '../../errors/late-record-error';
import type { TopicKey } from '../../model/topics/key-serde';
import type { EngineStateStore } from './engine-state-store';
import type { JoinResult } from './join-result';
import type { WindowJoin } from './window-join';

/**
 * A stream-stream join owned by a service (`@WindowedJoin`): each side is fed from its handler;
 * each call returns the pairs that record completes. Both inputs must be co-partitioned by the
 * join key. A record later than the grace period throws LateRecordError (dead-lettered, counted).
 */
export class JoinStore<K extends TopicKey, L, R, O> {
  readonly #store: EngineStateStore<WindowJoin<K, L, R, O>>;
  readonly #graceMs: number;

  constructor(store: EngineStateStore<WindowJoin<K, L, R, O>>, graceMs: number) {
    this.#store = store;
    this.#graceMs = graceMs;
  }

  addLeft(key: K, value: L, timestamp: number): JoinResult<K, O>[] {
    return this.#store.run((engine) => {
      const outcome = engine.addLeft(key, value, timestamp);
      if (outcome.late)
        throw new LateRecordError(timestamp, engine.streamTime ?? timestamp, this.#graceMs);
      return outcome.results;
    });
  }

  addRight(key: K, value: R, timestamp: number): JoinResult<K, O>[] {
    return this.#store.run((engine) => {
      const outcome = engine.addRight(key, value, timestamp);
      if (outcome.late)
        throw new LateRecordError(timestamp, engine.streamTime ?? timestamp, this.#graceMs);
      return outcome.results;
    });
  }

  get lateCount(): number {
    return this.#store.lateCount;
  }
}
