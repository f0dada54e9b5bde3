import { brokerCli } from '../../test/support/broker-cli';
import { kafkaBrokers } from '../../test/support/kafka-env';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { Subscription } from '../transport/transport';

/** Every command of the CLI against the real broker, through the same entry as `streamwise`. */
describe('the streamwise CLI on Kafka', () => {
  const admin = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'cli-int-setup' });
  const orders = uniqueName('cli-orders');
  const group = uniqueName('cli-billing');
  const { output, run, json } = brokerCli();
  let member: Subscription | undefined;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics([{ name: orders, partitions: 2, compacted: false }]);
    await admin.produce(
      orders,
      [0, 1, 2, 3, 4].map((i) => ({
        key: Buffer.from(`k${i}`),
        value: Buffer.from(JSON.stringify({ order: i })),
        partition: i % 2,
      })),
    );
    await admin.setCommittedOffsets(group, orders, [1, 2]);
  });
  afterAll(async () => {
    await member?.stop();
    await admin.deleteTopics([orders]);
    await admin.disconnect();
  });

  it('lists and describes topics, as text and as JSON', async () => {
    expect(await run('topics', 'list', '--json')).toBe(0);
    expect(json()).toEqual(expect.arrayContaining([orders]));
    expect(await run('topics', 'describe', orders, '--json')).toBe(0);
    expect(json()).toEqual({
      topic: orders,
      partitions: 2,
      cleanupPolicy: 'delete',
      offsets: [
        { partition: 0, start: 0, end: 3, records: 3 },
        { partition: 1, start: 0, end: 2, records: 2 },
      ],
    });
    expect(await run('topics', 'describe', uniqueName('cli-missing'))).toBe(1);
    expect(output.err[0]).toMatch(/^error: Topic ".*" does not exist/);
  });

  it("shows a group's lag per partition", async () => {
    expect(await run('groups', 'lag', group, orders, '--json')).toBe(0);
    expect(json()).toEqual({
      group,
      topic: orders,
      totalLag: 2,
      partitions: [
        { partition: 0, committed: 1, end: 3, lag: 2 },
        { partition: 1, committed: 2, end: 2, lag: 0 },
      ],
    });
  });

  it('peeks at JSON, text and binary records and decodes a dead letter, then stops', async () => {
    const dlq = `${orders}.dlq`;
    await admin.createTopics([{ name: dlq, partitions: 1, compacted: false }]);
    try {
      await admin.produce(dlq, [
        {
          key: Buffer.from('k1'),
          value: Buffer.from([0xff, 0x00, 0x01]),
          partition: 0,
          headers: {
            'sw-dlq-reason': 'handler-failed',
            'sw-dlq-error': 'boom',
            'sw-event-id': 'e1',
          },
        },
      ]);
      expect(await run('topics', 'peek', dlq)).toBe(0);
      expect(output.out).toEqual([
        expect.stringMatching(new RegExp(`^${dlq}\\[0\\]@0  \\d{4}-`)),
        '  key: k1',
        '  headers:',
        '    sw-event-id: e1',
        '  dead letter:',
        '    reason: handler-failed',
        '    error: boom',
        '  value (binary, base64): /wAB',
      ]);
      expect(await run('topics', 'peek', orders, '--partition', '1', '--json')).toBe(0);
      expect(json()).toEqual([
        expect.objectContaining({ offset: 0, value: { encoding: 'json', json: { order: 1 } } }),
        expect.objectContaining({ offset: 1, value: { encoding: 'json', json: { order: 3 } } }),
      ]);
      expect(
        await run(
          'topics',
          'peek',
          orders,
          '--partition',
          '0',
          '--from',
          'latest',
          '--max',
          '1',
          '--json',
        ),
      ).toBe(0);
      expect((json() as { offset: number }[]).map((r) => r.offset)).toEqual([2]);
      expect(await run('groups', 'list', '--json')).toBe(0);
      const groupIds = (json() as { groupId: string }[]).map((g) => g.groupId);
      expect(groupIds.filter((id) => id.startsWith('streamwise-cli-peek-'))).toEqual([]);
    } finally {
      await admin.deleteTopics([dlq]);
    }
  });

  it('lists groups and describes one with its members, assignment, offsets and lag', async () => {
    const live = uniqueName('cli-live');
    // Committed at the end, so the member holds its partitions with nothing to handle.
    await admin.setCommittedOffsets(live, orders, [3, 2]);
    member = await admin.subscribe({
      groupId: live,
      topics: [orders],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
    });
    await waitFor(() => member?.assignment().length === 2, 'the member gets both partitions');
    expect(await run('groups', 'list', '--json')).toBe(0);
    expect(json()).toEqual(
      expect.arrayContaining([{ groupId: group, protocolType: expect.any(String) as string }]),
    );
    await waitFor(async () => {
      await run('groups', 'describe', live, '--json');
      return (json() as { state: string }).state === 'Stable';
    }, 'the group is stable');
    expect(json()).toEqual({
      groupId: live,
      state: 'Stable',
      totalLag: 0,
      members: [
        expect.objectContaining({
          assignment: [
            { topic: orders, partition: 0 },
            { topic: orders, partition: 1 },
          ],
        }),
      ],
      offsets: [
        { topic: orders, partition: 0, committed: 3, end: 3, lag: 0 },
        { topic: orders, partition: 1, committed: 2, end: 2, lag: 0 },
      ],
    });
    expect(await run('groups', 'describe', live)).toBe(0);
    expect(output.out[0]).toBe(`${live}: Stable, 1 member(s), total lag 0`);
    expect(await run('groups', 'describe', group)).toBe(0);
    expect(output.out).toEqual([
      `${group}: Empty, 0 member(s), total lag 2`,
      '',
      'topic'.padEnd(orders.length) + '  partition  committed  end  lag',
      `${orders}  0          1          3    2`,
      `${orders}  1          2          2    0`,
    ]);
    expect(await run('replay', live, '--to', 'earliest', '--execute')).toBe(1);
    expect(output.err[0]).toContain(`Group "${live}" has 1 active member(s): stop its service`);
    expect(await run('groups', 'describe', uniqueName('cli-nobody'))).toBe(1);
    expect(output.err[0]).toMatch(/^error: Group ".*" does not exist/);
  });

  it('previews a replay, applies it with --execute and clamps offsets to the log', async () => {
    const replayed = uniqueName('cli-replayed');
    await admin.setCommittedOffsets(replayed, orders, [3, 2]);
    expect(await run('replay', replayed, '--to', 'earliest')).toBe(0);
    expect(output.out.at(-1)).toBe(
      `Preview only: nothing changed. Add --execute to move ${replayed} to these offsets.`,
    );
    expect(await admin.committedOffsets(replayed, orders)).toEqual([3, 2]);
    expect(await run('replay', replayed, '--to', 'earliest', '--execute', '--json')).toBe(0);
    expect(json()).toEqual({
      group: replayed,
      executed: true,
      partitions: [
        { topic: orders, partition: 0, current: 3, new: 0 },
        { topic: orders, partition: 1, current: 2, new: 0 },
      ],
    });
    expect(await admin.committedOffsets(replayed, orders)).toEqual([0, 0]);
    expect(await run('replay', replayed, '--to', `${orders}:0=99`, '--execute')).toBe(0);
    expect(output.err).toEqual([
      'warning: partition 0: offset 99 is past the end of the log (3); using 3.',
    ]);
    expect(await admin.committedOffsets(replayed, orders)).toEqual([3, 0]);
  });
});
