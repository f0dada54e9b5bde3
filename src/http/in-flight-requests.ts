import type { ServerResponse } from 'node:http';

import { QueryAbortedError } from '../errors/query-aborted-error';

/** One request being answered; `signal` aborts when its client goes away or the server stops. */
export interface InFlightRequest {
  readonly signal: AbortSignal;
  /** Call when the answer is sent: stops watching the connection. */
  close(): void;
}

/** The requests a server is answering, so stop() can cut their waits short. */
export class InFlightRequests {
  readonly #controllers = new Set<AbortController>();

  open(response: ServerResponse): InFlightRequest {
    const controller = new AbortController();
    // 'close' before the response ended means the client hung up mid-request.
    const onClose = (): void => {
      if (!response.writableEnded) {
        controller.abort(new QueryAbortedError('the client disconnected'));
      }
    };
    response.once('close', onClose);
    this.#controllers.add(controller);
    return {
      signal: controller.signal,
      close: () => {
        response.off('close', onClose);
        this.#controllers.delete(controller);
      },
    };
  }

  abortAll(reason: Error): void {
    for (const controller of this.#controllers) controller.abort(reason);
  }

  get size(): number {
    return this.#controllers.size;
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts: a query that
 * does not pass `request.signal` on to its waits is still answered (503) when the server stops.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      // What the query still does is no longer anyone's answer; keep its failure quiet.
      work.catch(() => undefined);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown; toHttpError maps it
        reject(error);
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new QueryAbortedError('the request was aborted', reason);
}
