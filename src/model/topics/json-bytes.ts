import { nonFiniteNumberPaths, nonFiniteNumbersText } from './non-finite-numbers';

/** A value JSON cannot hold faithfully: `paths` lists each Infinity or NaN in it. */
export class NonFiniteNumbersError extends TypeError {
  readonly paths: readonly string[];

  constructor(paths: readonly string[]) {
    super(nonFiniteNumbersText(paths));
    this.name = 'NonFiniteNumbersError';
    this.paths = paths;
  }
}

/**
 * UTF-8 JSON of `value`, refusing Infinity and NaN (JSON.stringify would write them as null).
 * JSON.stringify writes every non-finite number as `null`, so text without "null" cannot hold one:
 * the walk that finds their paths runs only when the text has a null in it.
 */
export function toJsonBytes(value: unknown): Buffer {
  // JSON.stringify returns undefined for undefined, functions and symbols, whatever its type says.
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError(`${typeof value} cannot be written as JSON`);
  if (text.includes('null')) {
    const paths = nonFiniteNumberPaths(value);
    if (paths.length > 0) throw new NonFiniteNumbersError(paths);
  }
  return Buffer.from(text, 'utf8');
}
