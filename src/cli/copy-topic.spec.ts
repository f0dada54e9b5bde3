import { memoryTransport } from '../transport/memory/memory-transport-factory';
import { partitionForKey } from '../transport/partitioner';
import type { Transport } from '../transport/transport';
import { copyTopic } from './copy-topic';
import { migrationMap } from './migration-transform';

describe('copyTopic (the engine of migrate and repartition)', () => {
  let transport: Transport;
  beforeEach(async () => {
    transport = memoryTransport();
    await transport.connect();
    await transport.createTopics([{ name: 'orders', partitions: 2, compacted: false }]);
    await transport.produce('orders', [
      { key: Buffer.from('a'), value: Buffer.from('{"n":1}'), partition: 0 },
      { key: Buffer.from('b'), value: Buffer.from('{"n":2}'), partition: 1 },
      { key: Buffer.from('a'), value: Buffer.from('{"n":3}'), partition: 0 },
      { key: null, value: Buffer.from('{"n":4}'), partition: 1 },
      { key: Buffer.from('c'), value: null, partition: 0 },
    ]);
  });
  afterEach(() => transport.disconnect());

  const read = async (topic: string) => {
    const ends = await transport.endOffsets(topic);
    const out: { partition: number; key: string | null; value: string | null }[] = [];
    const positions = ends.map(() => 0);
    let done!: () => void;
    const caughtUp = new Promise<void>((resolve) => (done = resolve));
    const check = () => positions.every((p, i) => p >= ends[i]) && done();
    const sub = await transport.subscribe({
      groupId: `check-${topic}`,
      topics: [topic],
      offsetReset: 'earliest',
      handle: (record) => {
        out.push({
          partition: record.partition,
          key: record.key?.toString() ?? null,
          value: record.value?.toString() ?? null,
        });
        positions[record.partition] = record.offset + 1;
        check();
        return Promise.resolve();
      },
    });
    check();
    await caughtUp;
    await sub.stop();
    return out;
  };

  it('creates the target with the new count, keys hashed into it, keyless records on their partition', async () => {
    const progress: [number, number][] = [];
    const result = await copyTopic(transport, {
      from: 'orders',
      to: 'orders-p3',
      partitions: 3,
      group: 'copy',
      map: (r) => Promise.resolve({ key: r.key, value: r.value }),
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result).toEqual({ read: 5, written: 5, total: 5 });
    expect(await transport.describeTopic('orders-p3')).toEqual({
      name: 'orders-p3',
      partitions: 3,
      compacted: false,
    });
    const copied = await read('orders-p3');
    for (const record of copied) {
      expect(record.partition).toBe(
        record.key === null ? 1 : partitionForKey(Buffer.from(record.key), 3),
      );
    }
    expect(copied.filter((r) => r.key === 'a').map((r) => r.value)).toEqual(['{"n":1}', '{"n":3}']);
    expect(progress[0]).toEqual([0, 5]);
    expect(progress.at(-1)).toEqual([5, 5]);
  });

  it('starts at the committed offsets and writes nothing once the source is copied', async () => {
    await transport.setCommittedOffsets('copy', 'orders', [2, 1]);
    const map = migrationMap((r) =>
      r.key === 'a' ? { key: 'A', value: { m: (r.value as { n: number }).n } } : undefined,
    );
    const first = await copyTopic(transport, {
      from: 'orders',
      to: 'v2',
      partitions: 2,
      group: 'copy',
      map,
    });
    expect(first).toEqual({ read: 2, written: 0, total: 2 });
    const again = await copyTopic(transport, {
      from: 'orders',
      to: 'v2',
      partitions: 2,
      group: 'copy',
      map,
    });
    expect(again).toEqual({ read: 0, written: 0, total: 0 });
    expect(await transport.endOffsets('v2')).toEqual([0, 0]);
  });

  it("fails with the transform's error and commits nothing past the record it failed on", async () => {
    const map = migrationMap((r) => {
      if ((r.value as { n: number } | null)?.n === 3) throw new Error('cannot map n=3');
      return { value: r.value };
    });
    await expect(
      copyTopic(transport, { from: 'orders', to: 'v2', partitions: 2, group: 'copy', map }),
    ).rejects.toThrow('cannot map n=3');
    expect((await transport.committedOffsets('copy', 'orders'))[0] ?? 0).toBeLessThanOrEqual(1);
  });

  it('refuses an existing target with another partition count', async () => {
    await transport.createTopics([{ name: 'taken', partitions: 4, compacted: false }]);
    await expect(
      copyTopic(transport, {
        from: 'orders',
        to: 'taken',
        partitions: 2,
        group: 'copy',
        map: (r) => Promise.resolve({ key: r.key, value: r.value }),
      }),
    ).rejects.toThrow('it has 4 partition(s) and the copy needs 2; pick a new target topic');
  });
});
