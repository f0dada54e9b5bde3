import { type Broker, type Connection, Consumer, kGetConnection } from '@platformatic/kafka';

import { RecordingLogger } from '../../../test/support/recording-logger';
import { TransportError } from '../../errors/transport-error';
import { watchGroupLoss } from './coordinator-loss';
import { resolvePlatformaticConfig } from './platformatic-config';
import { createTransactionalProducer } from './platformatic-transactions';

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
    await consumer.close();
  });

  function watch(classic: boolean): RecordingLogger {
    const logger = new RecordingLogger();
    watchGroupLoss(consumer, { classic, logger, onLost: (error) => lost.push(error) });
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
    const logger = watch(true);
    const first = await lookUp(undefined);
    const second = await lookUp(undefined);
    expect(first).toBeInstanceOf(TransportError);
    expect(first).toMatchObject({ retriable: true });
    expect(first?.message).toContain('group "g"');
    expect(second).toBeInstanceOf(TransportError);
    expect(lost).toHaveLength(1);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
  });

  it('loses a classic member at its first failed heartbeat: the client sends none after it', () => {
    watch(true);
    consumer.emit('consumer:heartbeat:error', {
      groupId: 'g',
      memberId: 'm',
      generationId: 1,
      error: new Error('connect ECONNREFUSED'),
    });
    consumer.emit('consumer:heartbeat:error', {
      groupId: 'g',
      memberId: 'm',
      generationId: 1,
      error: new Error('connect ECONNREFUSED'),
    });
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toContain('connect ECONNREFUSED');
  });

  it("takes the client's 'error' (a re-join that failed for good) as the loss, for either protocol", () => {
    watch(false);
    consumer.emit('error', new Error('rejoin failed'));
    expect(lost.map((e) => e.message)).toEqual(['rejoin failed']);
  });

  it('leaves the lookups of a KIP-848 member alone: its link finds a moved coordinator itself', () => {
    const original = consumer[kGetConnection];
    watch(false);
    expect(consumer[kGetConnection]).toBe(original);
  });
});

describe('a transactional producer', () => {
  it("answers a lookup of a coordinator's node missing from the metadata with a retriable error, where the client throws", async () => {
    const producer = createTransactionalProducer(
      resolvePlatformaticConfig({ brokers: ['127.0.0.1:1'] }),
      'loss-spec-txn',
    );
    try {
      const error = await new Promise<Error | null>((resolve) => {
        producer[kGetConnection](undefined as unknown as Broker, (e: Error | null) => resolve(e));
      });
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ retriable: true });
      expect(error?.message).toContain('"loss-spec-txn"');
    } finally {
      await producer.close();
    }
  });
});
