import { getEventListeners } from 'node:events';

import { ChangeBroadcaster } from '../../test/support/change-broadcaster';
import { ConfigurationError } from '../errors/configuration-error';
import { QueryAbortedError } from '../errors/query-aborted-error';
import { QueryFailedError } from '../errors/query-failed-error';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import { TransportError } from '../errors/transport-error';
import { waitUntil } from './wait-until';

describe('ChangeBroadcaster', () => {
  it('calls each subscription until it unsubscribes', () => {
    const changes = new ChangeBroadcaster();
    const calls: string[] = [];
    const listener = (): void => {
      calls.push('x');
    };
    const first = changes.onChange(listener);
    const second = changes.onChange(listener);
    changes.notify();
    first();
    changes.notify();
    second();
    changes.notify();
    expect(calls).toEqual(['x', 'x', 'x']);
    expect(changes.listenerCount).toBe(0);
  });

  it('lets a listener unsubscribe while being notified', () => {
    const changes = new ChangeBroadcaster();
    const calls: number[] = [];
    const off = changes.onChange(() => {
      calls.push(1);
      off();
    });
    changes.onChange(() => calls.push(2));
    changes.notify();
    changes.notify();
    expect(calls).toEqual([1, 2, 2]);
  });
});

describe('waitUntil', () => {
  let changes: ChangeBroadcaster;

  beforeEach(() => {
    changes = new ChangeBroadcaster();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves at once, leaving no timer or listener, when the value is already there', async () => {
    jest.useFakeTimers();
    await expect(waitUntil(() => 'here', { timeoutMs: 1_000, changes })).resolves.toBe('here');
    expect(jest.getTimerCount()).toBe(0);
    expect(changes.listenerCount).toBe(0);
  });

  it('re-probes on every change and resolves with the first value', async () => {
    let value: string | undefined = undefined;
    let probes = 0;
    const waiting = waitUntil(
      () => {
        probes += 1;
        return value;
      },
      { timeoutMs: 10_000, changes },
    );
    changes.notify(); // still nothing
    value = 'order-42';
    changes.notify();
    await expect(waiting).resolves.toBe('order-42');
    expect(probes).toBe(3);
    expect(changes.listenerCount).toBe(0);
  });

  it('treats null and 0 as values, only undefined as "not yet"', async () => {
    await expect(waitUntil(() => null, { timeoutMs: 10, changes })).resolves.toBeNull();
    await expect(waitUntil(() => 0, { timeoutMs: 10, changes })).resolves.toBe(0);
  });

  it('rejects with QueryTimeoutError after timeoutMs of real time, and cleans up', async () => {
    const started = Date.now();
    const error: unknown = await waitUntil(() => undefined, { timeoutMs: 60, changes }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).timeoutMs).toBe(60);
    // Loose: timers never fire early by more than a millisecond or so, and may fire late.
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(changes.listenerCount).toBe(0);
  });

  it('clears its timer once resolved', async () => {
    jest.useFakeTimers();
    let value: number | undefined = undefined;
    const waiting = waitUntil(() => value, { timeoutMs: 60_000, changes });
    expect(jest.getTimerCount()).toBe(1);
    value = 7;
    changes.notify();
    await expect(waiting).resolves.toBe(7);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with QueryTimeoutError at once for timeoutMs 0 and no value', async () => {
    await expect(waitUntil(() => undefined, { timeoutMs: 0, changes })).rejects.toThrow(
      QueryTimeoutError,
    );
    expect(changes.listenerCount).toBe(0);
  });

  it('rejects with QueryAbortedError when the signal aborts, removing every listener', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const waiting = waitUntil(() => undefined, {
      timeoutMs: 60_000,
      signal: controller.signal,
      changes,
    });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await expect(waiting).rejects.toThrow(QueryAbortedError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(changes.listenerCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the signal reason when it is a StreamwiseError', async () => {
    const reason = new QueryAbortedError('the client disconnected');
    const controller = new AbortController();
    const waiting = waitUntil(() => undefined, {
      timeoutMs: 60_000,
      signal: controller.signal,
      changes,
    });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects at once, without probing, for a signal that is already aborted', async () => {
    const probe = jest.fn(() => 'value');
    await expect(
      waitUntil(probe, { timeoutMs: 1_000, signal: AbortSignal.abort(), changes }),
    ).rejects.toThrow(QueryAbortedError);
    expect(probe).not.toHaveBeenCalled();
  });

  it('removes its abort listener once resolved', async () => {
    const controller = new AbortController();
    let value: string | undefined = undefined;
    const waiting = waitUntil(() => value, {
      timeoutMs: 60_000,
      signal: controller.signal,
      changes,
    });
    value = 'v';
    changes.notify();
    await waiting;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with what the probe throws, and cleans up', async () => {
    jest.useFakeTimers();
    const failure = new TransportError('store unavailable', { retriable: true });
    let fail = false;
    const waiting = waitUntil(
      () => {
        if (fail) throw failure;
        return undefined;
      },
      { timeoutMs: 60_000, changes },
    );
    fail = true;
    changes.notify();
    await expect(waiting).rejects.toBe(failure);
    expect(changes.listenerCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('wraps a thrown non-Error in QueryFailedError', async () => {
    const waiting = waitUntil(
      () => {
        throw 'oops'; // eslint-disable-line @typescript-eslint/only-throw-error
      },
      { timeoutMs: 10, changes },
    );
    await expect(waiting).rejects.toThrow(QueryFailedError);
  });

  it('copes with a notifier that calls back while subscribing', async () => {
    let unsubscribed = 0;
    const eager = {
      onChange(listener: () => void) {
        listener();
        return () => {
          unsubscribed += 1;
        };
      },
    };
    await expect(waitUntil(() => 'now', { timeoutMs: 10, changes: eager })).resolves.toBe('now');
    expect(unsubscribed).toBe(1);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])(
    'rejects timeoutMs %p with a ConfigurationError',
    async (timeoutMs) => {
      await expect(waitUntil(() => 1, { timeoutMs, changes })).rejects.toThrow(ConfigurationError);
    },
  );
});
