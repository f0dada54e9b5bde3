import { waitFor } from '../../test/support/wait-for';
import { RestoreAbandonedError } from '../errors/restore-abandoned-error';
import { TransportError } from '../errors/transport-error';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { Transport } from '../transport/transport';
import { restoreChangelog } from './changelog-restorer';

/** A memory transport whose restoreEndOffsets fails with `errors` in turn, then answers. */
async function flakyTransport(
  errors: Error[],
): Promise<{ transport: Transport; calls: () => number }> {
  const inner = new MemoryTransport();
  await inner.connect();
  await inner.createTopics([{ name: 'log', partitions: 1, compacted: true }]);
  await inner.produce('log', [{ key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 }]);
  let calls = 0;
  const transport = new Proxy(inner, {
    get(target, property) {
      if (property === 'restoreEndOffsets') {
        return (topic: string) => {
          const error = errors[calls++];
          return error === undefined ? target.restoreEndOffsets(topic) : Promise.reject(error);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { transport, calls: () => calls };
}

const notLeader = (): TransportError =>
  new TransportError('NOT_LEADER_OR_FOLLOWER', { retriable: true });

describe('restoreChangelog', () => {
  it('is abandoned when its signal aborts: it rejects at once and stops reading', async () => {
    const inner = new MemoryTransport();
    await inner.connect();
    await inner.createTopics([{ name: 'log', partitions: 1, compacted: true }]);
    await inner.produce('log', [{ key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 }]);
    // An end the log has not reached (a transaction still open there): the restore waits.
    let subscriptions = 0;
    const waiting = new Proxy(inner, {
      get(target, property) {
        if (property === 'restoreEndOffsets') return () => Promise.resolve([5]);
        if (property === 'subscribe') {
          return async (options: Parameters<Transport['subscribe']>[0]) => {
            const subscription = await target.subscribe(options);
            subscriptions++;
            const stop = subscription.stop.bind(subscription);
            return Object.assign(subscription, {
              stop: async () => {
                subscriptions--;
                await stop();
              },
            });
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value.bind(target) as unknown) : value;
      },
    });
    const restored: string[] = [];
    const stopping = new AbortController();
    const restoring = restoreChangelog(
      waiting,
      'log',
      [0],
      (record) => void restored.push(record.value?.toString() ?? ''),
      { signal: stopping.signal },
    );
    await waitFor(() => restored.length === 1, 'the first record to be restored');
    stopping.abort();
    await expect(restoring).rejects.toBeInstanceOf(RestoreAbandonedError);
    expect(subscriptions).toBe(0);

    // Aborted before it began: nothing is read.
    await expect(
      restoreChangelog(waiting, 'log', [0], () => undefined, { signal: stopping.signal }),
    ).rejects.toBeInstanceOf(RestoreAbandonedError);
    expect(subscriptions).toBe(0);
    await inner.disconnect();
  });

  it('tries again after a retriable broker error and restores', async () => {
    const { transport, calls } = await flakyTransport([notLeader(), notLeader()]);
    const restored: string[] = [];
    await restoreChangelog(transport, 'log', [0], (record) => {
      restored.push(record.value?.toString() ?? '');
    });
    expect(restored).toEqual(['v']);
    expect(calls()).toBe(3);
    await transport.disconnect();
  });

  it('gives up after a few retriable errors, and at once on a non-retriable one', async () => {
    const many = await flakyTransport([notLeader(), notLeader(), notLeader(), notLeader()]);
    await expect(restoreChangelog(many.transport, 'log', [0], () => undefined)).rejects.toThrow(
      'NOT_LEADER_OR_FOLLOWER',
    );
    expect(many.calls()).toBe(4);
    await many.transport.disconnect();

    const fatal = new TransportError('TOPIC_AUTHORIZATION_FAILED', { retriable: false });
    const once = await flakyTransport([fatal]);
    await expect(restoreChangelog(once.transport, 'log', [0], () => undefined)).rejects.toBe(fatal);
    expect(once.calls()).toBe(1);
    await once.transport.disconnect();
  });

  it('restores through readBatch where the transport hands batches over, below the end offsets only', async () => {
    const inner = new MemoryTransport();
    await inner.connect();
    await inner.createTopics([{ name: 'log', partitions: 2, compacted: true }]);
    const record = (partition: number, value: string) => ({
      key: Buffer.from(value),
      value: Buffer.from(value),
      partition,
    });
    await inner.produce('log', [record(0, 'a0'), record(1, 'b0'), record(0, 'a1')]);
    // Hands the records over through readBatch, as the Kafka transports do (here one a call).
    let batches = 0;
    const batching = new Proxy(inner, {
      get(target, property) {
        if (property !== 'subscribe') {
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? (value.bind(target) as unknown) : value;
        }
        return (options: Parameters<Transport['subscribe']>[0]) =>
          target.subscribe({
            ...options,
            handle: (delivered, output) => {
              if (options.readBatch === undefined) return options.handle(delivered, output);
              batches++;
              return Promise.resolve(options.readBatch([delivered]));
            },
          });
      },
    });

    const restored: string[] = [];
    let later = false;
    await restoreChangelog(batching, 'log', [0], (applied) => {
      restored.push(applied.value?.toString() ?? '');
      // Whatever arrives after the end offsets at start is not part of the restore.
      if (!later) {
        later = true;
        void inner.produce('log', [record(0, 'a2')]);
      }
      // One record applied through a promise, as with a schema registry: order still holds.
      return applied.offset === 0 ? Promise.resolve() : undefined;
    });
    expect(restored).toEqual(['a0', 'a1']);
    expect(batches).toBeGreaterThan(0);
    await inner.disconnect();
  });
});
