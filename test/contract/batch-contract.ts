import type {
  DeliveredRecord,
  OutgoingRecord,
  RecordBatch,
  Subscription,
  Transport,
} from '../../src/transport/transport';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { ContractHarness } from './contract-harness';

const COUNT = 40;

function numbered(count: number): OutgoingRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`k${i % 4}`),
    value: Buffer.from(String(i)),
    partition: 0,
  }));
}

const valueOf = (record: DeliveredRecord): string => record.value?.toString() ?? '';

const refuseHandle = (): Promise<void> =>
  Promise.reject(new Error('handle must not be called when handleBatch is given'));

/**
 * SubscriptionOptions.handleBatch: every transport hands a partition's records to a subscriber
 * that takes batches as RecordBatches (never through `handle`), commits what it reported, and
 * sends the outputs written through the batch. Runs on the memory transport and both Kafka clients.
 */
export function batchContract(harness: ContractHarness): void {
  describe(`batch contract: ${harness.name}`, () => {
    const transports: Transport[] = [];
    const subscriptions: Subscription[] = [];
    const open = async (): Promise<Transport> => {
      const transport = harness.createTransport();
      transports.push(transport);
      await transport.connect();
      return transport;
    };

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(transports.splice(0).map((t) => t.disconnect()));
    });

    it('hands the records to handleBatch in offset order, sends their outputs and commits them', async () => {
      const transport = await open();
      const input = uniqueName('batch-in');
      const output = uniqueName('batch-out');
      await transport.createTopics([
        { name: input, partitions: 1, compacted: false },
        { name: output, partitions: 1, compacted: false },
      ]);
      await transport.produce(input, numbered(COUNT));
      const seen: string[] = [];
      let calls = 0;
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [input],
        offsetReset: 'earliest',
        handle: refuseHandle,
        handleBatch: async (batch: RecordBatch) => {
          calls++;
          for (const record of batch.records) {
            if (batch.halted()) return;
            await batch
              .output(record)
              .produce(output, [{ key: record.key, value: record.value, partition: 0 }]);
            seen.push(valueOf(record));
            batch.handled(record);
          }
        },
      });
      subscriptions.push(subscription);
      await waitFor(
        async () => (await transport.committedOffsets(subscription.groupId, input))[0] === COUNT,
        `all ${COUNT} input records committed`,
      );
      expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => String(i)));
      expect(calls).toBeLessThan(COUNT);
      expect(await transport.endOffsets(output)).toEqual([COUNT]);
    });

    it('refuses an output the topic cannot take to its writer and goes on with the batch', async () => {
      const transport = await open();
      const input = uniqueName('batch-bad-in');
      const output = uniqueName('batch-bad-out');
      await transport.createTopics([
        { name: input, partitions: 1, compacted: false },
        { name: output, partitions: 1, compacted: false },
      ]);
      await transport.produce(input, numbered(4));
      const refusals: string[] = [];
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [input],
        offsetReset: 'earliest',
        handle: refuseHandle,
        handleBatch: async (batch: RecordBatch) => {
          for (const record of batch.records) {
            if (batch.halted()) return;
            // A negative partition fails the record check at once; partition 7 is past the topic.
            const partition = record.offset % 2 === 0 ? -1 : 7;
            const out = batch.output(record);
            const producing = (async () =>
              out.produce(output, [{ key: null, value: record.value, partition }]))();
            await producing.then(
              () => undefined,
              (error: unknown) => refusals.push(`${record.offset}: ${(error as Error).name}`),
            );
            batch.handled(record);
          }
        },
      });
      subscriptions.push(subscription);
      await waitFor(
        async () => (await transport.committedOffsets(subscription.groupId, input))[0] === 4,
        'all 4 records committed',
      );
      expect(refusals).toHaveLength(4);
      expect(refusals.map((refusal) => refusal.split(':')[0])).toEqual(['0', '1', '2', '3']);
      expect(await transport.endOffsets(output)).toEqual([0]);
    });

    it('after a rejection, commits the records reported before it and delivers the next one again', async () => {
      const transport = await open();
      const input = uniqueName('batch-fail');
      await transport.createTopics([{ name: input, partitions: 1, compacted: false }]);
      await transport.produce(input, numbered(10));
      const seen: string[] = [];
      let failed = false;
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [input],
        offsetReset: 'earliest',
        handle: refuseHandle,
        handleBatch: async (batch: RecordBatch) => {
          for (const record of batch.records) {
            if (batch.halted()) return;
            batch.output(record);
            seen.push(valueOf(record));
            if (record.offset === 3 && !failed) {
              failed = true;
              throw new Error('the broker is away (retriable)');
            }
            await Promise.resolve();
            batch.handled(record);
          }
        },
      });
      subscriptions.push(subscription);
      await waitFor(
        async () => (await transport.committedOffsets(subscription.groupId, input))[0] === 10,
        'all 10 records committed after the redelivery',
      );
      expect(seen).toEqual(['0', '1', '2', '3', '3', '4', '5', '6', '7', '8', '9']);
    });
  });
}
