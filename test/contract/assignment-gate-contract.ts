import { partitionForKey } from '../../src/transport/partitioner';
import type { OutgoingRecord, TopicPartition, Transport } from '../../src/transport/transport';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { ContractHarness } from './contract-harness';

function keyed(key: string, value: string, partitions: number): OutgoingRecord {
  const keyBytes = Buffer.from(key);
  return {
    key: keyBytes,
    value: Buffer.from(value),
    partition: partitionForKey(keyBytes, partitions),
  };
}

function names(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}[${p.partition}]`).join(',');
}

/**
 * A partition is never delivered before its onAssigned succeeded: a rejected onAssigned (a state
 * restore that failed) keeps its partitions paused and is tried again until it succeeds or the
 * partitions are revoked.
 */
export function assignmentGateContract(harness: ContractHarness): void {
  describe(`assignment gate contract: ${harness.name}`, () => {
    const transports: Transport[] = [];
    const open = async (): Promise<Transport> => {
      const transport = harness.createTransport();
      transports.push(transport);
      await transport.connect();
      return transport;
    };

    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.disconnect()));
    });

    it('keeps partitions paused while onAssigned rejects, retries it, then delivers every record once', async () => {
      const transport = await open();
      const topic = uniqueName('gate');
      await transport.createTopics([{ name: topic, partitions: 2, compacted: false }]);
      const batch = (from: number, to: number): OutgoingRecord[] =>
        Array.from({ length: to - from }, (_, i) => keyed(`k${(from + i) % 5}`, `r${from + i}`, 2));
      await transport.produce(topic, batch(0, 20));
      let attempts = 0;
      let restored = false;
      const handled = new Map<string, number>();
      const early: string[] = [];
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        onAssigned: (partitions) => {
          if (partitions.length === 0) return;
          attempts++;
          if (attempts <= 3) throw new Error(`restore failed (attempt ${attempts})`);
          restored = true;
        },
        handle: (record) => {
          const value = record.value?.toString() ?? '';
          if (!restored) early.push(value);
          handled.set(value, (handled.get(value) ?? 0) + 1);
          return Promise.resolve();
        },
      });
      try {
        await waitFor(() => restored, 'onAssigned to succeed on its fourth attempt');
        await transport.produce(topic, batch(20, 40));
        await waitFor(() => handled.size >= 40, 'all 40 records');
        expect(early).toEqual([]);
        expect(attempts).toBe(4);
        for (let i = 0; i < 40; i++) expect(handled.get(`r${i}`)).toBe(1);
      } finally {
        await subscription.stop();
      }
    });

    it('retries a failing onAssigned until its partitions are revoked; another member then handles them', async () => {
      const first = await open();
      const topic = uniqueName('gate');
      await first.createTopics([{ name: topic, partitions: 2, compacted: false }]);
      await first.produce(topic, [keyed('a', 'a0', 2), keyed('b', 'b0', 2), keyed('c', 'c0', 2)]);
      const groupId = uniqueName('g');
      let failing = 0;
      const failingEvents: string[] = [];
      const healthy = new Map<string, number>();
      const broken = await first.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        onAssigned: (partitions) => {
          if (partitions.length === 0) return;
          failing++;
          throw new Error('restore failed');
        },
        onRevoked: (partitions) => void failingEvents.push(`revoked:${names(partitions)}`),
        handle: (record) => {
          failingEvents.push(`record:${record.value?.toString() ?? ''}`);
          return Promise.resolve();
        },
      });
      const second = await open();
      let working: Awaited<ReturnType<Transport['subscribe']>> | undefined;
      try {
        await waitFor(() => failing >= 2, 'onAssigned to be tried again');
        working = await second.subscribe({
          groupId,
          topics: [topic],
          offsetReset: 'earliest',
          handle: (record) => {
            const value = record.value?.toString() ?? '';
            healthy.set(value, (healthy.get(value) ?? 0) + 1);
            return Promise.resolve();
          },
        });
        await broken.stop();
        await waitFor(() => working?.assignment().length === 2, 'the working member to hold both');
        await waitFor(() => healthy.size >= 3, 'every record, by the working member');
        expect([...healthy.values()]).toEqual([1, 1, 1]);
        expect(failingEvents.filter((e) => e.startsWith('record:'))).toEqual([]);
        expect(failingEvents.some((e) => e.startsWith('revoked:'))).toBe(true);
      } finally {
        await broken.stop();
        await working?.stop();
      }
    });
  });
}
