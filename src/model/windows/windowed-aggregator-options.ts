import { InvalidWindowError } from '../../errors/invalid-window-error';
import type { WindowSpec } from './window-spec';
import { isWindowSpec } from './window-spec';

export interface WindowedAggregatorOptions<K, V, A> {
  /** tumbling(...), hopping(...) or session(...). */
  readonly window: WindowSpec;
  /** The aggregate of an empty window; called once per new window. */
  readonly initial: () => A;
  /**
   * Folds one record into a window's aggregate. Return a new value rather than mutating `acc`:
   * results already handed out hold the previous one. Aggregates go to the changelog, so keep
   * them JSON-serializable.
   */
  readonly aggregate: (acc: A, value: V, key: K) => A;
  /**
   * Combines two sessions' aggregates (the earlier session first) when a record bridges or joins
   * them. Required for session windows, unused otherwise.
   */
  readonly merge?: (a: A, b: A, key: K) => A;
  /** 'update': a result per changed window per record. 'close': one final result per window. */
  readonly emit: 'update' | 'close';
  /** Names the aggregator in error messages, e.g. the store name. */
  readonly name?: string;
}

export function validateAggregatorOptions<K, V, A>(
  options: WindowedAggregatorOptions<K, V, A>,
): void {
  const where = `WindowedAggregator${options.name === undefined ? '' : ` "${options.name}"`}`;
  const fail = (problem: string): never => {
    throw new InvalidWindowError(where, problem);
  };
  if (!isWindowSpec(options.window)) {
    fail('window must come from tumbling(sizeMs), hopping(sizeMs, advanceMs) or session(gapMs).');
  }
  if (typeof options.initial !== 'function') {
    fail('initial must be a function returning the aggregate of an empty window, e.g. () => 0.');
  }
  if (typeof options.aggregate !== 'function') {
    fail('aggregate must be a function (acc, value, key) => new aggregate.');
  }
  if (options.window.kind === 'session' && typeof options.merge !== 'function') {
    fail(
      'session windows need merge: (a, b, key) => aggregate, to combine two sessions a record brings together, e.g. (a, b) => a + b for a sum.',
    );
  }
  if (options.emit !== 'update' && options.emit !== 'close') {
    fail(`emit must be 'update' (a result per change) or 'close' (one final result per window).`);
  }
}
