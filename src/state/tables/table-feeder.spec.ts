import { type Price, pricesTopic } from '../../../test/fixtures/prices';
import { waitFor } from '../../../test/support/wait-for';
import { ManualClock } from '../../clock/manual-clock';
import { buildEnvelope } from '../../codec/envelope';
import { TopicCodec } from '../../codec/topic-codec';
import { RestoreAbandonedError } from '../../errors/restore-abandoned-error';
import { SilentLogger } from '../../logging/silent-logger';
import { MemoryTransport } from '../../transport/memory/memory-transport';
import { partitionForKey } from '../../transport/partitioner';
import type { DeliveredRecord } from '../../transport/transport';
import { MaterializedTable } from './materialized-table';
import { MemoryTableStore } from './memory-table-store';
import { TableFeeder } from './table-feeder';

const Prices = pricesTopic(2);

/** A sku that the partitioner puts on `partition`. */
function skuOn(partition: number, n: number): string {
  for (let i = 0; ; i++) {
    const sku = `sku-${n}-${i}`;
    if (partitionForKey(Buffer.from(sku), Prices.partitions) === partition) return sku;
  }
}

describe('TableFeeder resuming from its store', () => {
  let transport: MemoryTransport;
  let table: MaterializedTable<string, Price>;
  const values = new TopicCodec();
  const logger = new SilentLogger();
  const feeder = (groupId: string): TableFeeder<string, Price> =>
    new TableFeeder(Prices, table, transport, groupId, logger, values);
  const send = async (...prices: Price[]): Promise<void> => {
    for (const price of prices) {
      const envelope = buildEnvelope(Prices, price, { producer: 'test', timestamp: 0 });
      await transport.produce(Prices.name, [envelope.record]);
    }
  };
  /** Records handed to any subscription's handler from now on. */
  const countDeliveries = (): DeliveredRecord[] => {
    const delivered: DeliveredRecord[] = [];
    const subscribe = transport.subscribe.bind(transport);
    transport.subscribe = (options) =>
      subscribe({
        ...options,
        handle: (record, output) => {
          delivered.push(record);
          return options.handle(record, output);
        },
      });
    return delivered;
  };

  beforeEach(async () => {
    transport = new MemoryTransport({ clock: new ManualClock() });
    await transport.connect();
    await transport.createTopics([{ name: Prices.name, partitions: 2, compacted: true }]);
    table = new MaterializedTable('pricing.prices', new MemoryTableStore(), new ManualClock());
  });
  afterEach(() => transport.disconnect());

  it('starts each partition at the store position: nothing applied twice, at most one record per partition read again', async () => {
    const skus = [skuOn(0, 0), skuOn(0, 1), skuOn(1, 2), skuOn(1, 3)];
    for (let round = 0; round < 5; round++) {
      await send(...skus.map((sku) => ({ sku, cents: round })));
    }
    const first = feeder('first');
    await first.start();
    await first.stop();
    const positions = new Map(table.store.positions());
    expect(positions).toEqual(
      new Map([
        [0, 10],
        [1, 10],
      ]),
    );

    const delivered = countDeliveries();
    const applied = jest.spyOn(table, 'apply');
    const second = feeder('second');
    await second.start();
    expect(second.ready).toBe(true);
    await transport.broker.settled();
    expect(applied).not.toHaveBeenCalled();
    // The first assignment is made before subscribe() returns a handle to seek with; what the
    // partitions read before the seeks is held back and skipped.
    expect(delivered.length).toBeLessThanOrEqual(2);
    for (const record of delivered) {
      expect(record.offset).toBeLessThan(positions.get(record.partition) ?? 0);
    }

    await send({ sku: skus[0], cents: 100 }, { sku: skus[2], cents: 200 });
    await transport.broker.settled();
    expect(
      applied.mock.calls.map(([key, , partition, offset]) => [key, partition, offset]),
    ).toEqual([
      [skus[0], 0, 10],
      [skus[2], 1, 10],
    ]);
    expect(table.store.get(skus[0])).toEqual({ sku: skus[0], cents: 100 });
    await second.stop();
  });

  it('seeks from onAssigned when a rebalance hands a partition back', async () => {
    const feeding = feeder('shared-group');
    await feeding.start();
    // Another member of the feeder's group takes a partition and reads (and commits) past records
    // the table never saw; when it leaves, only a seek to the store position brings them back.
    const intruder = await transport.subscribe({
      groupId: 'shared-group',
      topics: [Prices.name],
      offsetReset: 'earliest',
      handle: () => Promise.resolve(),
    });
    const [taken] = intruder.assignment();
    const sku = skuOn(taken.partition, 9);
    await send({ sku, cents: 1 }, { sku, cents: 2 });
    await transport.broker.settled();
    expect(await transport.committedOffsets('shared-group', Prices.name)).toContain(2);
    expect(table.store.has(sku)).toBe(false);

    await intruder.stop();
    await transport.broker.settled();
    expect(table.store.get(sku)).toEqual({ sku, cents: 2 });
    expect(table.store.positions().get(taken.partition)).toBe(2);
    await feeding.stop();
  });

  it('reads the log again when a stored position lies beyond its end (the topic was recreated)', async () => {
    table.apply('gone', { sku: 'gone', cents: 1 }, 0, 41);
    await send({ sku: skuOn(0, 5), cents: 7 });
    const feeding = feeder('after-recreate');
    await feeding.start();
    expect(table.store.has('gone')).toBe(false);
    expect(table.store.get(skuOn(0, 5))).toEqual({ sku: skuOn(0, 5), cents: 7 });
    expect(table.store.positions().get(0)).toBe(1);
    await feeding.stop();
  });

  it('takes whole batches where the transport hands them over: caught up, resumed, nothing applied twice', async () => {
    // Hands every record over through readBatch, as the Kafka transports do (one a call here).
    let batches = 0;
    const subscribe = transport.subscribe.bind(transport);
    transport.subscribe = (options) =>
      subscribe({
        ...options,
        handle: (record, output) => {
          if (options.readBatch === undefined) return options.handle(record, output);
          batches++;
          return Promise.resolve(options.readBatch([record]));
        },
      });
    const skus = [skuOn(0, 0), skuOn(1, 1)];
    await send(...skus.map((sku) => ({ sku, cents: 1 })), { sku: skus[0], cents: 2 });

    const first = feeder('batched');
    await first.start();
    expect(first.ready).toBe(true);
    expect(batches).toBe(3);
    expect(table.store.get(skus[0])).toEqual({ sku: skus[0], cents: 2 });
    await first.stop();

    const applied = jest.spyOn(table, 'apply');
    const second = feeder('batched-again');
    await second.start();
    await send({ sku: skus[1], cents: 3 });
    await transport.broker.settled();
    expect(applied.mock.calls.map(([key, value]) => [key, value])).toEqual([
      [skus[1], { sku: skus[1], cents: 3 }],
    ]);
    await second.stop();
  });

  it('stopped while it catches up: start() rejects with RestoreAbandonedError instead of waiting forever', async () => {
    await send({ sku: skuOn(0, 0), cents: 1 });
    // An end the log has not reached yet: the feeder keeps catching up.
    transport.endOffsets = () => Promise.resolve([5, 5]);
    const catching = feeder('stopped-early');
    const starting = catching.start();
    await waitFor(() => table.store.get(skuOn(0, 0)) !== undefined, 'the first row');
    await catching.stop();
    await expect(starting).rejects.toBeInstanceOf(RestoreAbandonedError);
  });
});
