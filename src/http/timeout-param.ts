import { BadRequestError } from '../errors/bad-request-error';

/** The longest a caller may ask a long poll to wait: 10 minutes. */
export const MAX_QUERY_TIMEOUT_MS = 600_000;

/** Parses `?timeout=<ms>`: absent is undefined, anything but a whole number 0..600000 is a 400. */
export function parseTimeoutParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms <= MAX_QUERY_TIMEOUT_MS)) {
    throw new BadRequestError(
      `?timeout must be a whole number of milliseconds from 0 to ${MAX_QUERY_TIMEOUT_MS}, got ${JSON.stringify(value)}.`,
    );
  }
  return ms;
}
