import type { ErrorCode } from './error-codes';

/**
 * Root of every error streamwise raises. `retriable` says whether repeating the same operation
 * can succeed (a broker hiccup) or not (bad input, a misconfiguration).
 */
export class StreamwiseError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
