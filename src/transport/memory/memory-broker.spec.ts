import { DrainDidNotSettleError } from '../../errors/drain-did-not-settle-error';
import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import { MemoryBroker } from './memory-broker';

const record = (key: string | null, value: string | null) => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  partition: 0,
});

describe('MemoryBroker', () => {
  it('compacts to the latest record per key, keeping offsets and tombstones, as Kafka does', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'table', partitions: 1, compacted: true });
    broker.append(
      'table',
      [record('a', '1'), record('b', '1'), record('a', '2'), record('c', '1'), record('c', null)],
      0,
    );
    broker.compact('table');
    const log = broker.requireTopic('table').partitions[0];
    expect(
      log.records().map((r) => [r.offset, r.key?.toString(), r.value?.toString() ?? null]),
    ).toEqual([
      [1, 'b', '1'],
      [2, 'a', '2'],
      [4, 'c', null],
    ]);
    expect(log.endOffset).toBe(5);
    expect(log.startOffset).toBe(0);
    // Readers ask for "the next record at or after": holes are skipped.
    expect(log.next(0)?.offset).toBe(1);
    expect(log.next(3)?.offset).toBe(4);
    broker.compact('table', { dropTombstones: true });
    expect(log.records().map((r) => r.offset)).toEqual([1, 2]);
  });

  it('keeps a record without headers with frozen empty headers, as the Kafka transports deliver it', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'plain', partitions: 1, compacted: false });
    broker.append('plain', [record('a', '1'), { ...record('b', '2'), headers: {} }], 0);
    const [first, second] = broker.requireTopic('plain').partitions[0].records();
    expect(first.headers).toEqual({});
    expect(Object.isFrozen(first.headers)).toBe(true);
    expect(Object.isFrozen(second.headers)).toBe(true);
    // One reader cannot give the next one a header.
    expect(() => {
      (first.headers as Record<string, string>)['x-added'] = 'by a handler';
    }).toThrow(TypeError);
  });

  it('keeps its own copy of the bytes, as a Kafka broker does: a producer reusing its Buffers changes no stored record', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'reused', partitions: 1, compacted: false });
    const key = Buffer.from('k1');
    const value = Buffer.from('v1');
    broker.append('reused', [{ key, value, partition: 0 }], 0);
    key.write('k2');
    value.write('v2');
    broker.append('reused', [{ key, value, partition: 0 }], 0);
    const log = broker.requireTopic('reused').partitions[0];
    expect(log.records().map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([
      ['k1', 'v1'],
      ['k2', 'v2'],
    ]);
  });

  it('appends a produce request partition by partition, keeping its order within each partition and in the write order', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'spread', partitions: 3, compacted: false });
    const on = (partition: number, value: string) => ({ ...record('k', value), partition });
    const written = broker.append(
      'spread',
      [on(2, 'a'), on(0, 'b'), on(2, 'c'), on(1, 'd'), on(0, 'e')],
      0,
    );
    expect(written.map((m) => [m.partition, m.offset])).toEqual([
      [2, 0],
      [0, 0],
      [2, 1],
      [1, 0],
      [0, 1],
    ]);
    const logs = broker.requireTopic('spread').partitions;
    expect(logs.map((log) => log.records().map((r) => r.value?.toString()))).toEqual([
      ['b', 'e'],
      ['d'],
      ['a', 'c'],
    ]);
    const inWriteOrder = logs
      .flatMap((log) => log.records())
      .sort((x, y) => x.sequence - y.sequence)
      .map((r) => r.value?.toString());
    expect(inWriteOrder).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses to compact a topic that is not compacted, and unknown topics', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'events', partitions: 1, compacted: false });
    expect(() => broker.compact('events')).toThrow(TransportError);
    expect(() => broker.compact('nope')).toThrow(UnknownTopicError);
  });

  it('validates partitions before appending anything', () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'events', partitions: 2, compacted: false });
    expect(() =>
      broker.append('events', [record('a', '1'), { ...record('b', '2'), partition: 2 }], 0),
    ).toThrow('partition 2 does not exist');
    expect(broker.requireTopic('events').partitions[0].endOffset).toBe(0);
  });

  it('gives up waiting to settle when records keep being written', async () => {
    const broker = new MemoryBroker();
    broker.createTopic({ name: 'loop', partitions: 1, compacted: false });
    // A pump-less broker is settled; mark it busy with a rebalance that never ends.
    let finish!: () => void;
    const rebalance = broker.rebalancing(() => new Promise<void>((resolve) => (finish = resolve)));
    const waiting = broker.settled(3);
    for (let i = 0; i < 3; i++) broker.append('loop', [record('k', String(i))], 0);
    await expect(waiting).rejects.toBeInstanceOf(DrainDidNotSettleError);
    finish();
    await rebalance;
    await expect(broker.settled()).resolves.toBeUndefined();
  });
});
