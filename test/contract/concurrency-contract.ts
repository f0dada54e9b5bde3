import { ConfigurationError } from '../../src/errors/configuration-error';
import { partitionForKey } from '../../src/transport/partitioner';
import type {
  DeliveredRecord,
  OutgoingRecord,
  SubscriptionOptions,
  Transport,
} from '../../src/transport/transport';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { ContractHarness } from './contract-harness';

function onePartition(key: string | null, value: string): OutgoingRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    partition: key === null ? 0 : partitionForKey(Buffer.from(key), 1),
  };
}

/** A handler that does not finish until the test lets it: records in flight are visible. */
class Gate {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  readonly #open = new Map<string, () => void>();
  #inFlight = 0;
  maxInFlight = 0;

  readonly handle = (record: DeliveredRecord): Promise<void> => {
    const value = record.value?.toString() ?? '';
    this.started.push(value);
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    return new Promise<void>((resolve) => {
      this.#open.set(value, () => {
        this.#inFlight--;
        this.finished.push(value);
        resolve();
      });
    });
  };

  isWaiting(value: string): boolean {
    return this.#open.has(value) && !this.finished.includes(value);
  }

  release(value: string): void {
    const open = this.#open.get(value);
    if (open === undefined) throw new Error(`${value} has not started`);
    open();
  }
}

/**
 * SubscriptionOptions.concurrency: records of different keys of one partition run at once, one
 * key's records never overlap and keep offset order, and the committed offset never passes the
 * lowest unfinished record. Runs on both transports, like the transport contract.
 */
export function concurrencyContract(harness: ContractHarness): void {
  describe(`key-ordered concurrency contract: ${harness.name}`, () => {
    const transports: Transport[] = [];
    const stops: (() => Promise<void>)[] = [];
    const open = async (): Promise<Transport> => {
      const transport = harness.createTransport();
      transports.push(transport);
      await transport.connect();
      return transport;
    };
    const subscribe = async (
      transport: Transport,
      topic: string,
      options: Partial<SubscriptionOptions>,
    ): Promise<string> => {
      const groupId = uniqueName('g');
      const subscription = await transport.subscribe({
        groupId,
        topics: [topic],
        offsetReset: 'earliest',
        handle: () => Promise.resolve(),
        ...options,
      });
      stops.push(() => subscription.stop());
      return groupId;
    };
    const committed = async (transport: Transport, groupId: string, topic: string) =>
      (await transport.committedOffsets(groupId, topic))[0];

    afterEach(async () => {
      await Promise.all(stops.splice(0).map((stop) => stop()));
      await Promise.all(transports.splice(0).map((t) => t.disconnect()));
    });

    it('refuses a concurrency that is not a whole number >= 1', async () => {
      const transport = await open();
      const topic = uniqueName('concurrency');
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        await expect(subscribe(transport, topic, { concurrency })).rejects.toThrow(
          ConfigurationError,
        );
        await expect(subscribe(transport, topic, { concurrency })).rejects.toThrow(
          /concurrency must be a whole number >= 1/,
        );
      }
    });

    it('runs different keys at once, never two of one key, and commits only below the lowest unfinished record', async () => {
      const transport = await open();
      const topic = uniqueName('concurrency');
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      // Offsets: 0 a1, 1 b1, 2 a2, 3 c1, 4 null1, 5 null2
      await transport.produce(topic, [
        onePartition('a', 'a1'),
        onePartition('b', 'b1'),
        onePartition('a', 'a2'),
        onePartition('c', 'c1'),
        onePartition(null, 'n1'),
        onePartition(null, 'n2'),
      ]);
      const gate = new Gate();
      const groupId = await subscribe(transport, topic, { concurrency: 3, handle: gate.handle });

      await waitFor(() => gate.started.length === 3, 'three records in flight');
      // a2 waits for a1 (same key): the third slot goes to c1.
      expect(gate.started).toEqual(['a1', 'b1', 'c1']);

      gate.release('b1');
      gate.release('c1');
      await waitFor(() => gate.isWaiting('n1'), 'n1 to start');
      // b1 and c1 are done, but a1 (offset 0) is not: nothing may be committed yet.
      expect(await committed(transport, groupId, topic)).toBeUndefined();
      expect(gate.started).not.toContain('a2');
      expect(gate.started).not.toContain('n2');

      gate.release('a1');
      await waitFor(() => gate.isWaiting('a2'), 'a2 to start after a1');
      await waitFor(
        async () => (await committed(transport, groupId, topic)) === 2,
        'offset 2 committed (a1, b1 done; a2 unfinished)',
      );
      gate.release('a2');
      gate.release('n1');
      await waitFor(() => gate.isWaiting('n2'), 'n2 to start after n1 (null keys are one key)');
      gate.release('n2');
      await waitFor(
        async () => (await committed(transport, groupId, topic)) === 6,
        'every offset committed',
      );
      expect(gate.maxInFlight).toBe(3);
      const order = (value: string): number => gate.started.indexOf(value);
      expect(order('a1')).toBeLessThan(order('a2'));
      expect(order('n1')).toBeLessThan(order('n2'));
    });

    it('redelivers a failing record while other keys go on, and holds later records of its key', async () => {
      const transport = await open();
      const topic = uniqueName('concurrency');
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      await transport.produce(topic, [
        onePartition('a', 'a1'),
        onePartition('a', 'a2'),
        onePartition('b', 'b1'),
        onePartition('b', 'b2'),
      ]);
      const handled: string[] = [];
      let failuresLeft = 2;
      const groupId = await subscribe(transport, topic, {
        concurrency: 2,
        handle: (record) => {
          const value = record.value?.toString() ?? '';
          handled.push(value);
          if (value === 'a1' && failuresLeft-- > 0) {
            return Promise.reject(new Error('crash before commit'));
          }
          return Promise.resolve();
        },
      });
      await waitFor(() => handled.includes('a2'), 'a2 to be handled');
      await waitFor(
        async () => (await committed(transport, groupId, topic)) === 4,
        'every offset committed',
      );
      expect(handled.filter((v) => v === 'a1')).toHaveLength(3);
      // a2 ran only after a1 finally succeeded; b's records did not wait for a1's retries.
      expect(handled.lastIndexOf('a1')).toBeLessThan(handled.indexOf('a2'));
      expect(handled.indexOf('b2')).toBeLessThan(handled.lastIndexOf('a1'));
      expect(handled.filter((v) => v === 'a2' || v === 'b1' || v === 'b2')).toHaveLength(3);
    });
    it('stops without waiting out the backoff of a record that keeps failing', async () => {
      const transport = await open();
      const topic = uniqueName('concurrency');
      await transport.createTopics([{ name: topic, partitions: 1, compacted: false }]);
      await transport.produce(topic, [onePartition('a', 'a1'), onePartition('b', 'b1')]);
      let failures = 0;
      const subscription = await transport.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        offsetReset: 'earliest',
        concurrency: 2,
        handle: (record) => {
          if (record.value?.toString() !== 'a1') return Promise.resolve();
          failures++;
          return Promise.reject(new Error('always fails'));
        },
      });
      // The default backoff doubles from 100 ms up to 5 s: after seven failures a1 waits 5 s.
      await waitFor(() => failures >= 7, 'a1 to fail seven times', { timeoutMs: 30_000 });
      const stoppingAt = Date.now();
      await subscription.stop();
      expect(Date.now() - stoppingAt).toBeLessThan(2_500);
      expect(failures).toBeLessThanOrEqual(8);
    });
  });
}
