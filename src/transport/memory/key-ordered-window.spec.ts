import { ManualClock } from '../../clock/manual-clock';
import type { DeliveredRecord } from '../transport';
import { MemoryBroker } from './memory-broker';
import { MemoryTransport } from './memory-transport';

function record(key: string, value: string): { key: Buffer; value: Buffer; partition: number } {
  return { key: Buffer.from(key), value: Buffer.from(value), partition: 0 };
}

describe('key-ordered concurrency on a manual clock', () => {
  let transport: MemoryTransport;
  afterEach(() => transport.disconnect());

  it('reports a partition whose only running record backs off as parked, so a drain can advance time', async () => {
    const clock = new ManualClock();
    const broker = new MemoryBroker();
    transport = new MemoryTransport({ broker, clock });
    await transport.connect();
    await transport.createTopics([{ name: 't', partitions: 1, compacted: false }]);
    await transport.produce('t', [record('a', 'a1'), record('b', 'b1'), record('a', 'a2')]);
    const handled: string[] = [];
    let failuresLeft = 1;
    const subscription = await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      offsetReset: 'earliest',
      concurrency: 2,
      handle: (delivered: DeliveredRecord) => {
        const value = delivered.value?.toString() ?? '';
        handled.push(value);
        if (value === 'a1' && failuresLeft-- > 0) return Promise.reject(new Error('once'));
        return Promise.resolve();
      },
    });
    try {
      await broker.settled();
      // b1 is done; a1 waits on the clock for its redelivery and a2 waits for a1.
      expect(handled).toEqual(['a1', 'b1']);
      expect(broker.hasParkedWork()).toBe(true);
      expect(await transport.committedOffsets('g', 't')).toEqual([undefined]);

      const next = clock.nextTimerAt();
      expect(next).toBeDefined();
      clock.advanceTo(next as number);
      await broker.settled();
      await new Promise<void>((resolve) => setImmediate(resolve));
      await broker.settled();
      expect(handled).toEqual(['a1', 'b1', 'a1', 'a2']);
      expect(broker.hasParkedWork()).toBe(false);
      expect(await transport.committedOffsets('g', 't')).toEqual([3]);
    } finally {
      await subscription.stop();
    }
  });
});
