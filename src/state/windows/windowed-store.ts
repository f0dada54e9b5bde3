import { LateRecordError } from '../../errors/late-record-error';
import type { TopicKey } from '../../model/topics/key-serde';
import type { WindowSpec } from '../../model/windows/window-spec';
import type { EngineStateStore } from './engine-state-store';
import type { WindowResult } from './window-result';
import type { WindowedAggregator } from './windowed-aggregator';

/**
 * A windowed aggregation owned by a service (`@Windowed`): feed it from a handler with the
 * record's event time; it answers with the windows that changed (or closed). Windows are kept per
 * input partition, so key the input by the aggregation key. A record later than the grace period
 * throws LateRecordError: the dispatcher sends it to the dead-letter topic, and `lateCount` grows.
 */
export class WindowedStore<K extends TopicKey, V, A> {
  readonly #store: EngineStateStore<WindowedAggregator<K, V, A>>;
  readonly #window: WindowSpec;

  constructor(store: EngineStateStore<WindowedAggregator<K, V, A>>, window: WindowSpec) {
    this.#store = store;
    this.#window = window;
  }

  add(key: K, value: V, timestamp: number): WindowResult<K, A>[] {
    return this.#store.run((engine) => {
      const outcome = engine.add(key, value, timestamp);
      if (outcome.late)
        throw new LateRecordError(timestamp, engine.streamTime ?? timestamp, this.#window.graceMs);
      return outcome.results;
    });
  }

  /** Records refused as late since this instance started (they went to the dead-letter topic). */
  get lateCount(): number {
    return this.#store.lateCount;
  }
}
