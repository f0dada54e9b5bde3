import { StopTimeoutError } from '../errors/stop-timeout-error';

/** How long app.stop() waits by default, as Spring's lifecycle.timeout-per-shutdown-phase does. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/**
 * `stopping`, or a StopTimeoutError naming `pending()` once `timeoutMs` passed first. The stop is
 * not cancelled (a handler cannot be), only no longer waited for by this caller.
 */
export function withStopLimit(
  stopping: Promise<void>,
  timeoutMs: number,
  pending: () => readonly string[],
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StopTimeoutError(timeoutMs, pending())), timeoutMs);
  });
  return Promise.race([stopping, late]).finally(() => clearTimeout(timer));
}
