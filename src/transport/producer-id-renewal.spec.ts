import { ProducerIdRenewal } from './producer-id-renewal';

/** A promise with its settlers, to end a send exactly when the test says. */
function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback already queued run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ProducerIdRenewal', () => {
  it('renews nothing while sends succeed', async () => {
    const renew = jest.fn(() => Promise.resolve());
    const renewal = new ProducerIdRenewal(renew);

    await expect(renewal.run(() => Promise.resolve(1))).resolves.toBe(1);
    await expect(renewal.run(() => Promise.resolve(2))).resolves.toBe(2);

    expect(renew).not.toHaveBeenCalled();
  });

  it('after a failed send, renews once before the next send starts', async () => {
    const events: string[] = [];
    const renewal = new ProducerIdRenewal(() => {
      events.push('renew');
      return Promise.resolve();
    });

    await expect(renewal.run(() => Promise.reject(new Error('timed out')))).rejects.toThrow(
      'timed out',
    );
    expect(renewal.pending).toBe(true);
    await Promise.all([
      renewal.run(() => Promise.resolve(events.push('send 1'))),
      renewal.run(() => Promise.resolve(events.push('send 2'))),
    ]);

    expect(events).toEqual(['renew', 'send 1', 'send 2']);
    expect(renewal.pending).toBe(false);
  });

  it('waits for the sends still running before it renews', async () => {
    const events: string[] = [];
    const renewal = new ProducerIdRenewal(() => {
      events.push('renew');
      return Promise.resolve();
    });
    const running = deferred();
    const first = renewal.run(() => running.promise.then(() => events.push('running send ended')));
    await expect(renewal.run(() => Promise.reject(new Error('lost answer')))).rejects.toThrow();

    const next = renewal.run(() => Promise.resolve(events.push('next send')));
    await settle();
    expect(events).toEqual([]);

    running.resolve();
    await Promise.all([first, next]);
    expect(events).toEqual(['running send ended', 'renew', 'next send']);
  });

  it('fails the waiting sends when the renewal fails, and renews again on the next send', async () => {
    const attempts: string[] = [];
    const renewal = new ProducerIdRenewal(() => {
      attempts.push('renew');
      return attempts.length === 1
        ? Promise.reject(new Error('broker unreachable'))
        : Promise.resolve();
    });
    await expect(renewal.run(() => Promise.reject(new Error('lost answer')))).rejects.toThrow();

    const send = jest.fn(() => Promise.resolve('sent'));
    await expect(renewal.run(send)).rejects.toThrow('broker unreachable');
    expect(send).not.toHaveBeenCalled();
    expect(renewal.pending).toBe(true);

    await expect(renewal.run(send)).resolves.toBe('sent');
    expect(attempts).toEqual(['renew', 'renew']);
  });
});
