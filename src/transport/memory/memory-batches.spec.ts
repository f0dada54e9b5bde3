import { ManualClock } from '../../clock/manual-clock';
import type { DeliveredRecord, RecordBatch, Subscription } from '../transport';
import { MemoryTransport } from './memory-transport';

const TOPIC = 'events';
const GROUP = 'batches';

/** A memory transport with `count` records (values "0", "1", ...) on one partition. */
async function transportWith(count: number, clock = new ManualClock()): Promise<MemoryTransport> {
  const transport = new MemoryTransport({ clock });
  await transport.connect();
  await transport.createTopics([{ name: TOPIC, partitions: 1, compacted: false }]);
  const records = Array.from({ length: count }, (_, i) => ({
    key: Buffer.from('k'),
    value: Buffer.from(String(i)),
    partition: 0,
  }));
  await transport.produce(TOPIC, records);
  return transport;
}

const valueOf = (record: DeliveredRecord): string => record.value?.toString() ?? '';

async function committed(transport: MemoryTransport): Promise<number | undefined> {
  return (await transport.committedOffsets(GROUP, TOPIC))[0];
}

describe('MemoryTransport with handleBatch', () => {
  let transport: MemoryTransport | undefined;
  let subscription: Subscription | undefined;

  afterEach(async () => {
    await subscription?.stop();
    await transport?.disconnect();
    subscription = undefined;
    transport = undefined;
  });

  it('hands the records already in the log over together and commits each one reported', async () => {
    transport = await transportWith(5);
    const sizes: number[] = [];
    const seen: string[] = [];
    subscription = await transport.subscribe({
      groupId: GROUP,
      topics: [TOPIC],
      offsetReset: 'earliest',
      handle: () =>
        Promise.reject(new Error('handle must not be called when handleBatch is given')),
      handleBatch: async (batch: RecordBatch) => {
        sizes.push(batch.records.length);
        for (const record of batch.records) {
          await Promise.resolve();
          seen.push(valueOf(record));
          batch.output(record);
          batch.handled(record);
        }
      },
    });
    await transport.broker.settled();
    expect(sizes).toEqual([5]);
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
    expect(await committed(transport)).toBe(5);
  });

  it('commits what was reported before a rejection and delivers the rest again after a backoff', async () => {
    const clock = new ManualClock();
    transport = await transportWith(4, clock);
    const batches: string[][] = [];
    let failed = false;
    subscription = await transport.subscribe({
      groupId: GROUP,
      topics: [TOPIC],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
      handleBatch: (batch) => {
        batches.push(batch.records.map(valueOf));
        for (const record of batch.records) {
          if (valueOf(record) === '2' && !failed) {
            failed = true;
            return Promise.reject(new Error('record 2 fails once'));
          }
          batch.output(record);
          batch.handled(record);
        }
        return Promise.resolve();
      },
    });
    await transport.broker.settled();
    // Parked on the redelivery backoff: records 0 and 1 are committed, 2 and 3 wait.
    expect(await committed(transport)).toBe(2);
    expect(transport.broker.hasParkedWork()).toBe(true);
    clock.advance(clock.nextTimerAt()! - clock.now());
    await transport.broker.settled();
    expect(batches).toEqual([
      ['0', '1', '2', '3'],
      ['2', '3'],
    ]);
    expect(await committed(transport)).toBe(4);
  });

  it('ends a batch at the next record once the member stops, leaving the rest uncommitted', async () => {
    transport = await transportWith(3);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const handled: string[] = [];
    subscription = await transport.subscribe({
      groupId: GROUP,
      topics: [TOPIC],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
      handleBatch: async (batch) => {
        for (const record of batch.records) {
          if (batch.halted()) return;
          started();
          // The first record runs until the stop has reached the partition.
          while (!batch.halted()) await new Promise((resolve) => setImmediate(resolve));
          handled.push(valueOf(record));
          batch.output(record);
          batch.handled(record);
        }
      },
    });
    await running;
    await subscription.stop();
    subscription = undefined;
    expect(handled).toEqual(['0']);
    expect(await committed(transport)).toBe(1);
  });
});
