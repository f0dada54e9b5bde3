import { ConfigurationError } from '../errors/configuration-error';
import { QueryAbortedError } from '../errors/query-aborted-error';
import { QueryFailedError } from '../errors/query-failed-error';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import { StreamwiseError } from '../errors/streamwise-error';
import type { ChangeNotifier } from './change-notifier';

/** setTimeout's limit; longer delays would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface WaitUntilOptions {
  /** Give up after this long (real time) with QueryTimeoutError. */
  readonly timeoutMs: number;
  /** Give up when this aborts, e.g. `QueryRequest.signal` (the client went away). */
  readonly signal?: AbortSignal;
  /** When to look again. */
  readonly changes: ChangeNotifier;
}

/**
 * Resolves with the first value `probe` returns that is not undefined, probing now and after
 * every change; the core of long polling (`GET /orders/42?timeout=5000`). Rejects with
 * QueryTimeoutError after `timeoutMs`, with QueryAbortedError (or the signal's StreamwiseError
 * reason) if `signal` aborts, or with whatever `probe` throws. Leaves no timer or listener behind.
 */
export function waitUntil<T>(probe: () => T | undefined, options: WaitUntilOptions): Promise<T> {
  const { timeoutMs, signal, changes } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
    return Promise.reject(
      new ConfigurationError(
        `waitUntil: timeoutMs must be a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}, got ${timeoutMs}.`,
      ),
    );
  }
  if (signal?.aborted === true) return Promise.reject(abortError(signal));

  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // Assigned below; `finish` may run before either is (a probe that settles at once).
    let timer: NodeJS.Timeout | undefined = undefined;
    let unsubscribe: (() => void) | undefined = undefined;

    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const check = (): void => {
      if (settled) return;
      let value: T | undefined;
      try {
        value = probe();
      } catch (error) {
        if (finish()) reject(error instanceof Error ? error : new QueryFailedError(error));
        return;
      }
      if (value !== undefined && finish()) resolve(value);
    };
    function onAbort(): void {
      if (finish()) reject(abortError(signal));
    }

    // Subscribe before the first probe so a change made by the probe itself is not missed.
    unsubscribe = changes.onChange(check);
    if (settled) {
      unsubscribe(); // the notifier called back during onChange and the wait is over
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    check();
    if (settled) return;
    timer = setTimeout(() => {
      if (finish()) reject(new QueryTimeoutError(timeoutMs));
    }, timeoutMs);
  });
}

function abortError(signal: AbortSignal | undefined): StreamwiseError {
  const reason: unknown = signal?.reason;
  return reason instanceof StreamwiseError
    ? reason
    : new QueryAbortedError('the request was aborted', reason);
}
