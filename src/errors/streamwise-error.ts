import type { ErrorCode } from './error-codes';

/**
 * The brand every streamwise error carries: the names of its classes, root first. It is a
 * registered symbol so that two copies of the package (two versions in one node_modules tree)
 * recognise each other's errors, where `instanceof` compares class identities and fails.
 */
export const STREAMWISE_ERROR_BRAND: unique symbol = Symbol.for('streamwise.error');

/** A StreamwiseError class as `is()` sees it: its name, and the code its instances carry. */
export type StreamwiseErrorClass<T extends StreamwiseError> = (abstract new (
  ...args: never[]
) => T) & { readonly code: ErrorCode | undefined };

/**
 * Root of every error streamwise raises. `retriable` says whether repeating the same operation
 * can succeed (a broker hiccup) or not (bad input, a misconfiguration).
 */
export class StreamwiseError extends Error {
  /** The code of this class's errors; undefined on the root, which has many. */
  static readonly code: ErrorCode | undefined = undefined;

  readonly code: ErrorCode;
  readonly retriable: boolean;
  declare readonly [STREAMWISE_ERROR_BRAND]: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    Object.defineProperty(this, STREAMWISE_ERROR_BRAND, { value: lineageOf(new.target) });
  }

  /**
   * True when `value` is an error of this class or a subclass, also one thrown by another copy
   * of streamwise: `ConfigurationError.is(error)` instead of `error instanceof ConfigurationError`.
   */
  static is<T extends StreamwiseError>(this: StreamwiseErrorClass<T>, value: unknown): value is T {
    if (typeof value !== 'object' || value === null) return false;
    const lineage: unknown = (value as Record<symbol, unknown>)[STREAMWISE_ERROR_BRAND];
    if (!Array.isArray(lineage) || !lineage.includes(this.name)) return false;
    return this.code === undefined || (value as { code?: unknown }).code === this.code;
  }
}

function lineageOf(type: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (let at: unknown = type; typeof at === 'function' && at !== Error;) {
    names.unshift(at.name);
    at = Object.getPrototypeOf(at);
  }
  return Object.freeze(names);
}
