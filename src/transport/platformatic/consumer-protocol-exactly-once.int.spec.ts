import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordCollector } from '../../../test/support/record-collector';
import { teardownAfterEach } from '../../../test/support/teardown';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { SilentLogger } from '../../logging/silent-logger';
import type { DeliveredRecord, RecordOutput, Subscription, TopicPartition } from '../transport';
import { GroupCoordinatorLink, leaveConsumerGroup } from './group-coordinator-link';
import { resolvePlatformaticConfig } from './platformatic-config';
import type { PlatformaticKafkaTransportOptions } from './platformatic-options';
import { PlatformaticSubscription } from './platformatic-subscription';
import { PlatformaticKafkaTransport } from './platformatic-transport';

const options: () => PlatformaticKafkaTransportOptions = () => ({
  brokers: kafkaBrokers(),
  clientId: uniqueName('eos-kip848'),
  logger: new SilentLogger(),
  consumer: { maxWaitTimeMs: 100 },
  groupProtocol: 'consumer',
});

/** The member id and epoch a subscription's exactly-once commit of `partition` carries now. */
function membership(
  subscription: Subscription,
  partition: TopicPartition,
): { memberId: string; epoch: number } {
  if (!(subscription instanceof PlatformaticSubscription))
    throw new Error('not a PlatformaticSubscription');
  const current = subscription.membership(partition)?.current();
  if (current === undefined) throw new Error(`partition ${partition.partition} is not held`);
  return { memberId: current.memberId, epoch: current.generationId };
}

/** Reads `topic` read_committed up to its end; the values, in order. */
async function committedValues(
  transport: PlatformaticKafkaTransport,
  topic: string,
): Promise<string[]> {
  const reader = new RecordCollector();
  let position = 0;
  const subscription = await transport.subscribe({
    groupId: uniqueName('reader'),
    topics: [topic],
    offsetReset: 'earliest',
    handle: reader.handle,
    onPosition: (_topic, _partition, next) => {
      position = Math.max(position, next);
    },
  });
  try {
    const [end] = await transport.endOffsets(topic);
    await waitFor(() => position >= (end ?? 0), `the reader at the end of "${topic}"`);
    return reader.values();
  } finally {
    await subscription.stop();
  }
}

describe('exactly-once with the KIP-848 consumer protocol, on the real broker', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  const start = async (): Promise<{
    transport: PlatformaticKafkaTransport;
    link: GroupCoordinatorLink;
    groupId: string;
    input: string;
    output: string;
  }> => {
    const transport = teardown.add(
      'the transport',
      new PlatformaticKafkaTransport(options()),
      (t) => t.disconnect(),
    );
    await transport.connect();
    const input = uniqueName('eos-in');
    const output = uniqueName('eos-out');
    await transport.createTopics([
      { name: input, partitions: 2, compacted: false },
      { name: output, partitions: 1, compacted: false },
    ]);
    const groupId = uniqueName('eos-group');
    const config = resolvePlatformaticConfig(options());
    const link = teardown.add(
      'the coordinator link',
      new GroupCoordinatorLink(config, groupId),
      (l) => l.close(),
    );
    return { transport, link, groupId, input, output };
  };

  const relay =
    (output: string, handled: string[], name: string, hold?: Promise<void>) =>
    async (record: DeliveredRecord, out: RecordOutput): Promise<void> => {
      const value = record.value?.toString() ?? '';
      handled.push(`${name}:${value}`);
      await out.produce(output, [{ key: null, value: Buffer.from(`out-${value}`), partition: 0 }]);
      if (hold !== undefined && handled.length === 1) await hold;
    };

  it('a member the group removed while its batch ran cannot commit that transaction: its output never shows, the next owner handles the record once', async () => {
    const { transport, link, groupId, input, output } = await start();
    await transport.produce(input, [{ key: null, value: Buffer.from('a'), partition: 0 }]);
    const handled: string[] = [];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const zombie = teardown.add(
      'the zombie',
      await transport.subscribe({
        groupId,
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: relay(output, handled, 'zombie', held),
      }),
      (s) => {
        release();
        return s.stop();
      },
    );
    await waitFor(() => handled.length === 1, 'the zombie handling "a"');

    // The broker removes the member (as after a missed session) while its handler runs: its
    // transaction is open, its offsets not added yet.
    const { memberId } = membership(zombie, { topic: input, partition: 0 });
    await leaveConsumerGroup(await link.connection(), groupId, memberId);
    const next: Subscription = teardown.add(
      'the next owner',
      await transport.subscribe({
        groupId,
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: relay(output, handled, 'next'),
      }),
      (s) => s.stop(),
    );
    await waitFor(
      async () => (await transport.committedOffsets(groupId, input))[0] === 1,
      'the next owner committing "a"',
    );
    // The zombie's batch goes on to its commit now, with the member id the group removed.
    release();
    await zombie.stop();
    await next.stop();

    expect(handled).toEqual(['zombie:a', 'next:a']);
    expect(await committedValues(transport, output)).toEqual(['out-a']);
    expect((await transport.committedOffsets(groupId, input))[0]).toBe(1);
  });

  it('a rebalance that leaves a partition with its member bumps the epoch, and the member commits on with it', async () => {
    const { transport, groupId, input, output } = await start();
    const handled: string[] = [];
    const subscribe = (name: string): Promise<Subscription> =>
      transport.subscribe({
        groupId,
        topics: [input],
        offsetReset: 'earliest',
        exactlyOnce: true,
        handle: relay(output, handled, name),
      });
    const first = teardown.add('the first member', await subscribe('first'), (s) => s.stop());
    expect(first.assignment()).toHaveLength(2);
    const before = membership(first, { topic: input, partition: 0 });

    const second = teardown.add('the second member', await subscribe('second'), (s) => s.stop());
    await waitFor(
      () => first.assignment().length === 1 && second.assignment().length === 1,
      'one partition each',
    );
    const kept = first.assignment()[0]?.partition ?? -1;
    // The hold reads the member's epoch after its last heartbeat: it moved on with the rebalance.
    await waitFor(
      () => membership(first, { topic: input, partition: kept }).epoch > before.epoch,
      'the first member at a newer epoch',
    );
    expect(membership(first, { topic: input, partition: kept }).memberId).toBe(before.memberId);

    // A record on the partition the first member kept: it commits its transaction at the new epoch.
    await transport.produce(input, [{ key: null, value: Buffer.from('kept'), partition: kept }]);
    await waitFor(
      async () => (await transport.committedOffsets(groupId, input))[kept] === 1,
      'the kept partition committed',
    );
    await Promise.all([first.stop(), second.stop()]);
    expect(handled).toEqual(['first:kept']);
    expect(await committedValues(transport, output)).toEqual(['out-kept']);
  });
});
