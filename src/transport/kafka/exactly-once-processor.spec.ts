import type { Kafka, Producer } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import { SilentLogger } from '../../logging/silent-logger';
import { ExactlyOnceProcessor } from './exactly-once-processor';
import type { KafkaRecordWriter } from './kafka-record-writer';

/** A kafkajs producer stand-in whose every transaction is `transaction`. */
function fakeProducer(transaction: object): Producer {
  return {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    transaction: () => Promise.resolve(transaction),
  } as unknown as Producer;
}

/** A kafkajs stand-in that only counts the transactional producers it was asked for. */
function countingKafka(failCommit?: () => Error | undefined): {
  kafka: Kafka;
  created: () => number;
} {
  let created = 0;
  const transaction = {
    abort: () => Promise.resolve(),
    commit: () => {
      const error = failCommit?.();
      return error === undefined ? Promise.resolve() : Promise.reject(error);
    },
    sendOffsets: () => Promise.resolve(),
    isActive: () => true,
  };
  const kafka = {
    producer: () => {
      created++;
      return fakeProducer(transaction);
    },
  } as unknown as Kafka;
  return { kafka, created: () => created };
}

function processor(kafka: Kafka): ExactlyOnceProcessor {
  return new ExactlyOnceProcessor({
    kafka,
    groupId: 'g',
    writer: {} as KafkaRecordWriter,
    committedOffset: () => Promise.resolve(undefined),
    sendLate: () => Promise.reject(new Error('no late output expected')),
    logger: new SilentLogger(),
  });
}

describe('ExactlyOnceProcessor', () => {
  const partition = { topic: 'in', partition: 3 };

  it('commits a batch in one transaction of the partition’s producer', async () => {
    const { kafka, created } = countingKafka();
    const eos = processor(kafka);
    await eos.sink(partition).commit(10);
    await eos.sink(partition).commit(20);
    expect(created()).toBe(1);
    await eos.close();
  });

  it('does not open a producer again for a batch that outlived its partition', async () => {
    const { kafka, created } = countingKafka();
    const eos = processor(kafka);
    const sink = eos.sink(partition);
    await eos.release([partition]);
    await expect(sink.commit(10)).rejects.toThrow(TransportError);
    expect(created()).toBe(0);
    // The partition assigned again gets a producer as before.
    await eos.sink(partition).commit(10);
    expect(created()).toBe(1);
    await eos.close();
  });

  it('opens nothing once closed', async () => {
    const { kafka, created } = countingKafka();
    const eos = processor(kafka);
    const sink = eos.sink(partition);
    await eos.close();
    await expect(sink.commit(10)).rejects.toThrow(
      'was revoked (or its transactional producer fenced',
    );
    expect(created()).toBe(0);
  });

  it('after being fenced by a new holder, makes no producer for the partition until it is prepared again', async () => {
    let fenced = true;
    const { kafka, created } = countingKafka(() =>
      fenced ? Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' }) : undefined,
    );
    const eos = processor(kafka);
    await expect(eos.sink(partition).commit(10)).rejects.toThrow('fenced');
    expect(created()).toBe(1);
    // A zombie retrying its batch must not fence the new holder in turn.
    await expect(eos.sink(partition).commit(10)).rejects.toThrow(TransportError);
    expect(created()).toBe(1);
    fenced = false;
    await eos.prepare(partition);
    expect(created()).toBe(2);
    await eos.close();
  });
});

/**
 * A broker whose EndTxn fails at the client after (`landed`) or before it took effect: the group's
 * committed offset is what the broker keeps, and the client's transaction is left in an unknown
 * state (kafkajs: no longer active).
 */
function lostCommitResponse(landed: boolean): {
  kafka: Kafka;
  committed: () => number | undefined;
} {
  let committed: number | undefined;
  let created = 0;
  const kafka = {
    producer: () => {
      const id = ++created;
      let offset: number | undefined;
      let ended = false;
      const transaction = {
        abort: () => Promise.resolve(),
        sendOffsets: ({ topics }: { topics: { partitions: { offset: string }[] }[] }) => {
          offset = Number(topics[0].partitions[0].offset);
          return Promise.resolve();
        },
        commit: () => {
          ended = true;
          // Only the first producer's first commit loses its response.
          if (id > 1) committed = offset;
          else if (landed) committed = offset;
          return id > 1 ? Promise.resolve() : Promise.reject(new Error('Request EndTxn timed out'));
        },
        isActive: () => !ended,
      };
      return fakeProducer(transaction);
    },
  } as unknown as Kafka;
  return { kafka, committed: () => committed };
}

describe('ExactlyOnceProcessor, a commit whose outcome the client did not learn', () => {
  const partition = { topic: 'in', partition: 0 };
  const eosOn = (broker: ReturnType<typeof lostCommitResponse>) =>
    new ExactlyOnceProcessor({
      kafka: broker.kafka,
      groupId: 'g',
      writer: {} as KafkaRecordWriter,
      committedOffset: () => Promise.resolve(broker.committed()),
      sendLate: () => Promise.reject(new Error('no late output expected')),
      logger: new SilentLogger(),
    });

  it('resolves when the transaction did commit, so its records are not handled (and written) again', async () => {
    const broker = lostCommitResponse(true);
    const eos = eosOn(broker);
    await expect(eos.sink(partition).commit(10)).resolves.toBeUndefined();
    expect(broker.committed()).toBe(10);
    await eos.close();
  });

  it('rejects when the transaction did not commit, so its records are delivered again', async () => {
    const broker = lostCommitResponse(false);
    const eos = eosOn(broker);
    await expect(eos.sink(partition).commit(10)).rejects.toThrow('EndTxn timed out');
    expect(broker.committed()).toBeUndefined();
    await eos.close();
  });
});

describe('ExactlyOnceProcessor, a commit whose outcome cannot be learnt at once', () => {
  const partition = { topic: 'in', partition: 0 };
  /** Reading the committed offset fails `failures` times first (a group coordinator moving). */
  const eosOn = (
    broker: ReturnType<typeof lostCommitResponse>,
    failures: number,
    onFailedRead: () => void = () => undefined,
  ) => {
    let reads = 0;
    return new ExactlyOnceProcessor({
      kafka: broker.kafka,
      groupId: 'g',
      writer: {} as KafkaRecordWriter,
      committedOffset: () => {
        if (++reads > failures) return Promise.resolve(broker.committed());
        onFailedRead();
        return Promise.reject(new Error('The coordinator is not available'));
      },
      sendLate: () => Promise.reject(new Error('no late output expected')),
      logger: new SilentLogger(),
    });
  };

  /** A commit whose outcome can never be learnt, and the moment the first attempt failed. */
  const unsettled = () => {
    let failedRead: () => void = () => undefined;
    const firstFailedRead = new Promise<void>((resolve) => {
      failedRead = resolve;
    });
    const eos = eosOn(lostCommitResponse(true), Number.MAX_SAFE_INTEGER, () => failedRead());
    return { eos, commit: eos.sink(partition).commit(10), firstFailedRead };
  };

  // Delivering the records again while the transaction may have committed would write them twice.
  it('keeps trying to learn it, and resolves when the transaction did commit', async () => {
    const broker = lostCommitResponse(true);
    const eos = eosOn(broker, 2);
    await expect(eos.sink(partition).commit(10)).resolves.toBeUndefined();
    await eos.close();
  });

  it('rejects once it learns the transaction did not commit', async () => {
    const broker = lostCommitResponse(false);
    const eos = eosOn(broker, 2);
    await expect(eos.sink(partition).commit(10)).rejects.toThrow('EndTxn timed out');
    await eos.close();
  });

  // app.stop() waits for the batches in flight: one waiting here while the brokers are gone
  // would hold the stop for as long. Giving up is safe: nothing in this process handles the
  // records again, and their next holder settles the outcome before it reads the offset.
  it('stops trying once the subscription stops (halt)', async () => {
    const { eos, commit, firstFailedRead } = unsettled();
    await firstFailedRead;
    eos.halt();
    await expect(commit).rejects.toThrow('EndTxn timed out');
    await eos.close();
  });

  it('stops trying once the partition is released: its next holder learns it before reading the committed offset', async () => {
    const { eos, commit, firstFailedRead } = unsettled();
    await firstFailedRead;
    await eos.release([partition]);
    await expect(commit).rejects.toThrow('EndTxn timed out');
    await eos.close();
  });
});
