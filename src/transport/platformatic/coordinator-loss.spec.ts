import { type Broker, type Connection, Consumer, kGetConnection } from '@platformatic/kafka';

import { RecordingLogger } from '../../../test/support/recording-logger';
import { TransportError } from '../../errors/transport-error';
import { watchGroupLoss } from './coordinator-loss';

const SESSION_TIMEOUT_MS = 6_000;

describe('watchGroupLoss', () => {
  let consumer: Consumer;
  let lost: Error[];

  beforeEach(() => {
    // Never connected: the watch only wraps the client and listens to its events.
    consumer = new Consumer({
      clientId: 'loss-spec',
      bootstrapBrokers: ['127.0.0.1:1'],
      groupId: 'g',
    });
    lost = [];
  });
  afterEach(async () => {
    jest.useRealTimers();
    await consumer.close();
  });

  function watch(heartbeatsFor: number | undefined): RecordingLogger {
    const logger = new RecordingLogger();
    watchGroupLoss(consumer, { heartbeatsFor, logger, onLost: (error) => lost.push(error) });
    return logger;
  }

  function lookUp(broker: Broker | undefined): Promise<Error | null> {
    return new Promise((resolve) => {
      // The client's own signature takes a Broker; the lookup of a node gone from the metadata
      // passes undefined, which is the case under test.
      consumer[kGetConnection](broker as Broker, (error: Error | null, _connection?: Connection) =>
        resolve(error),
      );
    });
  }

  it('answers a lookup of a node missing from the metadata with a retriable error, and the member is lost once', async () => {
    const logger = watch(SESSION_TIMEOUT_MS);
    const first = await lookUp(undefined);
    const second = await lookUp(undefined);
    expect(first).toBeInstanceOf(TransportError);
    expect(first).toMatchObject({ retriable: true });
    expect(first?.message).toContain('group "g"');
    expect(second).toBeInstanceOf(TransportError);
    expect(lost).toHaveLength(1);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
  });

  it('loses the member once heartbeats have failed for a whole session timeout, not before', () => {
    jest.useFakeTimers({ now: 0 });
    watch(SESSION_TIMEOUT_MS);
    const failed = () =>
      consumer.emit('consumer:heartbeat:error', {
        groupId: 'g',
        memberId: 'm',
        generationId: 1,
        error: new Error('connect ECONNREFUSED'),
      });
    failed();
    jest.setSystemTime(SESSION_TIMEOUT_MS - 1);
    failed();
    expect(lost).toEqual([]);
    // A heartbeat that got through starts the count again.
    consumer.emit('consumer:heartbeat:end', { groupId: 'g', memberId: 'm', generationId: 1 });
    jest.setSystemTime(SESSION_TIMEOUT_MS + 1);
    failed();
    jest.setSystemTime(2 * SESSION_TIMEOUT_MS);
    failed();
    expect(lost).toEqual([]);
    jest.setSystemTime(2 * SESSION_TIMEOUT_MS + 1);
    failed();
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toContain('longer than the session timeout');
  });

  it("takes the client's 'error' (a re-join that failed for good) as the loss, for either protocol", () => {
    watch(undefined);
    consumer.emit('error', new Error('rejoin failed'));
    expect(lost.map((e) => e.message)).toEqual(['rejoin failed']);
  });

  it('leaves the lookups of a KIP-848 member alone: its link finds a moved coordinator itself', () => {
    const original = consumer[kGetConnection];
    watch(undefined);
    expect(consumer[kGetConnection]).toBe(original);
  });
});
