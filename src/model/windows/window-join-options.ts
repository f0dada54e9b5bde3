import { InvalidWindowError } from '../../errors/invalid-window-error';

export interface WindowJoinOptions<K, L, R, O> {
  /** A left and a right record of one key join when their event times differ by at most this. */
  readonly withinMs: number;
  /** How long after a record's join window (ts ± withinMs) ends it is still accepted. Default 0. */
  readonly graceMs?: number;
  /** Builds the output of one matching pair. Buffered values go to the changelog: keep them JSON. */
  readonly join: (left: L, right: R, key: K) => O;
  /** Names the join in error messages, e.g. the store name. */
  readonly name?: string;
}

export function validateJoinOptions<K, L, R, O>(options: WindowJoinOptions<K, L, R, O>): void {
  const where = `WindowJoin${options.name === undefined ? '' : ` "${options.name}"`}`;
  const fail = (problem: string): never => {
    throw new InvalidWindowError(where, problem);
  };
  if (!Number.isSafeInteger(options.withinMs) || options.withinMs < 0) {
    fail(
      'withinMs must be a whole number of milliseconds >= 0, e.g. 60_000 to join records at most a minute apart.',
    );
  }
  const graceMs = options.graceMs ?? 0;
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
    fail(
      `graceMs must be a whole number of milliseconds >= 0 (how long after a record's join window ends it is still accepted); got ${String(graceMs)}.`,
    );
  }
  if (typeof options.join !== 'function') {
    fail('join must be a function (left, right, key) => output.');
  }
}
