import { KafkaJSGroupCoordinatorNotFound, KafkaJSProtocolError } from 'kafkajs';

import { SilentLogger } from '../../logging/silent-logger';
import { toTransportError } from './kafka-errors';
import type { KafkaSubscription } from './kafka-subscription';
import { SelfHealingSubscription } from './self-healing-subscription';

/** A group member whose start() fails with the given errors, one per attempt, then succeeds. */
function fakeMembers(failures: Error[]) {
  const started: number[] = [];
  const stopped: number[] = [];
  let made = 0;
  const create = () => {
    const id = ++made;
    const failure = failures.shift();
    const member = {
      start: () => {
        started.push(id);
        return failure === undefined ? Promise.resolve() : Promise.reject(failure);
      },
      stop: () => {
        stopped.push(id);
        return Promise.resolve();
      },
      assignment: () => [{ topic: 't', partition: id }],
      seek: () => undefined,
    };
    return member as unknown as KafkaSubscription;
  };
  return { create, started, stopped };
}

const coordinatorNotFound = () =>
  toTransportError(
    new (KafkaJSGroupCoordinatorNotFound as new (message: string) => Error)(
      'Failed to find group coordinator',
    ),
    'subscribe group "g" to "t"',
  );

describe('SelfHealingSubscription start()', () => {
  it('retries the first member while the group coordinator is not found yet', async () => {
    const members = fakeMembers([coordinatorNotFound(), coordinatorNotFound()]);
    const subscription = new SelfHealingSubscription(
      'g',
      members.create,
      new SilentLogger(),
      () => undefined,
      { startupTimeoutMs: 10_000, initialPauseMs: 1 },
    );
    try {
      await subscription.start();
      expect(members.started).toEqual([1, 2, 3]);
      expect(subscription.assignment()).toEqual([{ topic: 't', partition: 3 }]);
    } finally {
      await subscription.stop();
    }
  });

  it('gives up at the deadline with the last error, and at once on a non-retriable one', async () => {
    const always = fakeMembers(Array.from({ length: 1_000 }, coordinatorNotFound));
    const late = new SelfHealingSubscription(
      'g',
      always.create,
      new SilentLogger(),
      () => undefined,
      {
        startupTimeoutMs: 50,
        initialPauseMs: 5,
      },
    );
    await expect(late.start()).rejects.toThrow(
      /gave up waiting for the group coordinator of "g" after \d+ ms .*Failed to find group coordinator.*startupTimeoutMs/,
    );
    await late.stop();

    const invalid = Object.assign(new KafkaJSProtocolError('bad'), {
      type: 'INVALID_GROUP_ID',
      retriable: false,
    });
    const refused = fakeMembers([toTransportError(invalid, 'subscribe')]);
    const once = new SelfHealingSubscription(
      'g',
      refused.create,
      new SilentLogger(),
      () => undefined,
      {
        startupTimeoutMs: 10_000,
        initialPauseMs: 1,
      },
    );
    await expect(once.start()).rejects.toThrow(/bad/);
    expect(refused.started).toEqual([1]);
    await once.stop();
  });
});

describe('SelfHealingSubscription start() that fails for good', () => {
  afterEach(() => jest.useRealTimers());

  it('leaves no member-replacing loop behind when the first member crashed before failing', async () => {
    // A refused group (GROUP_AUTHORIZATION_FAILED) crashes the kafkajs consumer for good, which
    // reports the crash before start() rejects: start() gives up, so nothing may replace it.
    jest.useFakeTimers();
    const denied = Object.assign(new KafkaJSProtocolError('Group authorization failed'), {
      type: 'GROUP_AUTHORIZATION_FAILED',
      retriable: false,
    });
    let made = 0;
    const create = (onFatal: (error: Error) => void) => {
      made++;
      return {
        start: () => {
          onFatal(denied);
          return Promise.reject(toTransportError(denied, 'subscribe group "g" to "t"'));
        },
        stop: () => Promise.resolve(),
        assignment: () => [],
        seek: () => undefined,
      } as unknown as KafkaSubscription;
    };
    const subscription = new SelfHealingSubscription('g', create, new SilentLogger(), () => {}, {
      startupTimeoutMs: 10_000,
      initialPauseMs: 1,
    });
    await expect(subscription.start()).rejects.toThrow(/GROUP_AUTHORIZATION_FAILED/);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(made).toBe(1);
    await subscription.stop();
  });
});
