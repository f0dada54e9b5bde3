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
