import { BadRequestError } from '../errors/bad-request-error';
import type { ErrorCode } from '../errors/error-codes';
import { ErrorCodes } from '../errors/error-codes';
import { QueryFailedError } from '../errors/query-failed-error';
import { StreamwiseError } from '../errors/streamwise-error';

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** An error as the client sees it; `error` is what gets shown, never a non-streamwise error. */
export interface HttpError {
  readonly status: number;
  readonly error: StreamwiseError;
  readonly headers: Readonly<Record<string, string>>;
}

/** Seconds a client should wait before retrying a 503 (a rebalance usually settles by then). */
export const RETRY_AFTER_SECONDS = 1;

const STATUS_BY_CODE: ReadonlyMap<ErrorCode, number> = new Map<ErrorCode, number>([
  [ErrorCodes.NOT_FOUND, 404],
  [ErrorCodes.QUERY_TIMEOUT, 504],
  [ErrorCodes.TABLE_WAIT_TIMEOUT, 504],
  [ErrorCodes.HOLDER_WAIT_TIMEOUT, 504],
  [ErrorCodes.BAD_REQUEST, 400],
  [ErrorCodes.KEY_TOO_LARGE, 400],
  [ErrorCodes.RECORD_TOO_LARGE, 413],
  [ErrorCodes.SCHEMA_VALIDATION, 400],
  [ErrorCodes.CONFIGURATION, 400],
  [ErrorCodes.SINGLE_WRITER_VIOLATION, 409],
]);

/**
 * Maps what a query threw to a status: known codes first, then any retriable streamwise error
 * to 503 (with Retry-After), then 500. A non-streamwise error becomes QueryFailedError, whose
 * message hides the original (the server logs it).
 */
export function toHttpError(thrown: unknown): HttpError {
  const error = thrown instanceof StreamwiseError ? thrown : new QueryFailedError(thrown);
  const status = STATUS_BY_CODE.get(error.code) ?? (error.retriable ? 503 : 500);
  const headers: Record<string, string> =
    status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
  return { status, error, headers };
}

/**
 * Maps an error raised by fastify itself before any query ran: its 4xx errors (unsupported media
 * type, body too large) keep their status and message; anything else is mapped as a query error.
 */
export function toFrameworkHttpError(thrown: unknown): HttpError {
  if (thrown instanceof StreamwiseError) return toHttpError(thrown);
  const status = clientErrorStatus(thrown);
  if (status === undefined || !(thrown instanceof Error)) return toHttpError(thrown);
  const hint =
    status === 415 ? '. Send JSON with content-type: application/json, or text/plain.' : '';
  return { status, error: new BadRequestError(`${thrown.message}${hint}`, thrown), headers: {} };
}

export function errorBody(error: StreamwiseError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}

function clientErrorStatus(thrown: unknown): number | undefined {
  if (typeof thrown !== 'object' || thrown === null || !('statusCode' in thrown)) return undefined;
  const status = thrown.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
