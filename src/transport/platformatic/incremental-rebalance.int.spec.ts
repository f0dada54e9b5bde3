import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordingLogger } from '../../../test/support/recording-logger';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import type { Subscription, TopicPartition } from '../transport';
import type { PlatformaticGroupProtocol } from './platformatic-options';
import { PlatformaticKafkaTransport } from './platformatic-transport';

const PARTITIONS = 4;

/** One instance's view: what it handled when, and what it was told to give up. */
class Instance {
  readonly handled = new Map<number, number[]>();
  readonly revoked: TopicPartition[] = [];
  readonly assigned: { at: number; partitions: readonly TopicPartition[] }[] = [];
  subscription: Subscription | undefined;

  constructor(readonly transport: PlatformaticKafkaTransport) {}

  async join(groupId: string, topic: string): Promise<void> {
    this.subscription = await this.transport.subscribe({
      groupId,
      topics: [topic],
      offsetReset: 'earliest',
      handle: (record) => {
        const times = this.handled.get(record.partition) ?? [];
        this.handled.set(record.partition, [...times, Date.now()]);
        return Promise.resolve();
      },
      onAssigned: (partitions) => void this.assigned.push({ at: Date.now(), partitions }),
      onRevoked: (partitions) => void this.revoked.push(...partitions),
    });
  }

  partitions(): number[] {
    return (this.subscription?.assignment() ?? []).map((tp) => tp.partition).sort();
  }

  handledBetween(partition: number, from: number, to: number): number {
    return (this.handled.get(partition) ?? []).filter((at) => at > from && at < to).length;
  }
}

// A second instance joins while records flow into every partition. With the KIP-848 protocol
// only the partitions that move are revoked: the first instance keeps handling the others all
// through the rebalance. The classic protocol (eager, like kafkajs) revokes everything first.
describe.each<PlatformaticGroupProtocol>(['consumer', 'classic'])(
  'a member joining while records flow (groupProtocol %s)',
  (groupProtocol) => {
    jest.setTimeout(90_000);
    const transports: PlatformaticKafkaTransport[] = [];
    let producing: NodeJS.Timeout | undefined;

    const open = async (): Promise<PlatformaticKafkaTransport> => {
      const transport = new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        clientId: uniqueName('incremental'),
        logger: new RecordingLogger(),
        consumer: { maxWaitTimeMs: 100, heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000 },
        groupProtocol,
      });
      transports.push(transport);
      await transport.connect();
      return transport;
    };

    afterEach(async () => {
      clearInterval(producing);
      await Promise.all(transports.splice(0).map((transport) => transport.disconnect()));
    });

    it(
      groupProtocol === 'consumer'
        ? 'keeps handling the partitions that stay: no revoke for them, records all through'
        : 'revokes every partition of the first member, the ones it keeps too',
      async () => {
        const first = new Instance(await open());
        const topic = uniqueName('flow');
        const groupId = uniqueName('g');
        await first.transport.createTopics([
          { name: topic, partitions: PARTITIONS, compacted: false },
        ]);
        let sequence = 0;
        producing = setInterval(() => {
          const records = Array.from({ length: PARTITIONS }, (_, partition) => ({
            key: Buffer.from(`k${partition}`),
            value: Buffer.from(String(sequence++)),
            partition,
          }));
          first.transport.produce(topic, records).catch(() => undefined);
        }, 20);
        await first.join(groupId, topic);
        await waitFor(() => first.handled.size === PARTITIONS, 'records of every partition');

        const second = new Instance(await open());
        const joinedAt = Date.now();
        await second.join(groupId, topic);
        await waitFor(
          () => second.partitions().length === PARTITIONS / 2 && first.partitions().length === 2,
          'a 2/2 split',
          { timeoutMs: 30_000 },
        );
        const moved = second.assigned.find(({ partitions }) => partitions.length > 0);
        const movedAt = moved?.at ?? Date.now();
        const kept = first.partitions();
        const given = second.partitions();
        await waitFor(
          () => given.every((partition) => second.handledBetween(partition, movedAt, Infinity) > 0),
          'the second instance to handle its partitions',
        );

        const revokedFromFirst = first.revoked.map((tp) => tp.partition).sort();
        if (groupProtocol === 'consumer') {
          expect(revokedFromFirst).toEqual(given);
          for (const partition of kept) {
            expect(first.handledBetween(partition, joinedAt, movedAt)).toBeGreaterThan(0);
          }
        } else {
          expect(revokedFromFirst).toEqual([0, 1, 2, 3]);
        }
        const counts = kept.map((p) => `p${p}:${first.handledBetween(p, joinedAt, movedAt)}`);
        process.stdout.write(
          `[incremental ${groupProtocol}] rebalance took ${movedAt - joinedAt} ms; first kept ${kept.join(',')} (records handled meanwhile ${counts.join(' ')}), gave ${given.join(',')}; onRevoked on the first: ${revokedFromFirst.join(',')}\n`,
        );
      },
    );
  },
);

// The broker must not give a partition to its next owner before the member giving it up has
// finished with it: onRevoked (after its records committed) comes first, the release after.
describe('a KIP-848 member giving partitions up', () => {
  jest.setTimeout(90_000);
  const transports: PlatformaticKafkaTransport[] = [];
  /** Lets the held onRevoked return; also after a failed assertion, so the stop can finish. */
  let release = (): void => undefined;

  afterEach(async () => {
    release();
    await Promise.all(transports.splice(0).map((transport) => transport.disconnect()));
  });

  it('keeps them until its onRevoked has returned; only then does the new member get them', async () => {
    const open = async (): Promise<PlatformaticKafkaTransport> => {
      const transport = new PlatformaticKafkaTransport({
        brokers: kafkaBrokers(),
        clientId: uniqueName('handover'),
        logger: new RecordingLogger(),
        consumer: { maxWaitTimeMs: 100 },
        groupProtocol: 'consumer',
      });
      transports.push(transport);
      await transport.connect();
      return transport;
    };
    const topic = uniqueName('handover');
    const groupId = uniqueName('g');
    const firstTransport = await open();
    await firstTransport.createTopics([{ name: topic, partitions: PARTITIONS, compacted: false }]);
    const events: string[] = [];
    const released = new Promise<void>((resolve) => (release = resolve));
    const first = await firstTransport.subscribe({
      groupId,
      topics: [topic],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
      onRevoked: async (partitions) => {
        events.push(`first revoked ${partitions.length}`);
        await released;
        events.push('first onRevoked returned');
      },
    });
    await waitFor(() => first.assignment().length === PARTITIONS, 'the first member to hold all');
    const second = await (
      await open()
    ).subscribe({
      groupId,
      topics: [topic],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
      onAssigned: (partitions) => {
        if (partitions.length > 0) events.push(`second assigned ${partitions.length}`);
      },
    });
    await waitFor(() => events.includes(`first revoked ${PARTITIONS / 2}`), 'the revoke');
    // Several of the broker's heartbeat rounds (an interval of 5 s by default, 1 s at least)
    // pass while onRevoked holds: the second member must still have nothing.
    const heldSince = Date.now();
    await waitFor(() => Date.now() - heldSince > 6_000, 'six seconds of holding', {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    expect(second.assignment()).toEqual([]);
    expect(first.assignment()).toHaveLength(PARTITIONS);
    release();
    await waitFor(() => second.assignment().length === PARTITIONS / 2, 'the handover');
    expect(events).toEqual([
      `first revoked ${PARTITIONS / 2}`,
      'first onRevoked returned',
      `second assigned ${PARTITIONS / 2}`,
    ]);
  });
});
