import { partitionKey } from '../partition-key';
import { PartitionSendOrder, partitionsOf } from './partition-send-order';

/** A send that ends when the test says so, and records when it started. */
function pending(started: string[], name: string) {
  let end: (ok: boolean) => void = () => undefined;
  const send = () => {
    started.push(name);
    return new Promise<string>((resolve, reject) => {
      end = (ok) => (ok ? resolve(name) : reject(new Error(`${name} failed`)));
    });
  };
  return { send, end: (ok = true) => end(ok) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PartitionSendOrder', () => {
  it('starts a send on a partition only once the earlier send on it has ended', async () => {
    const order = new PartitionSendOrder();
    const started: string[] = [];
    const a = pending(started, 'a');
    const b = pending(started, 'b');
    const first = order.run(['t/0'], a.send);
    const second = order.run(['t/0', 't/1'], b.send);
    await settle();
    expect(started).toEqual(['a']);
    a.end();
    await expect(first).resolves.toBe('a');
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.end();
    await expect(second).resolves.toBe('b');
    await settle();
    expect(order.busy).toBe(0);
  });

  it('runs sends on different partitions at once', async () => {
    const order = new PartitionSendOrder();
    const started: string[] = [];
    const a = pending(started, 'a');
    const b = pending(started, 'b');
    const both = Promise.all([order.run(['t/0'], a.send), order.run(['t/1'], b.send)]);
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.end();
    a.end();
    await expect(both).resolves.toEqual(['a', 'b']);
  });

  it('lets the next send go after a failed one, and gives the failure to its caller only', async () => {
    const order = new PartitionSendOrder();
    const started: string[] = [];
    const a = pending(started, 'a');
    const b = pending(started, 'b');
    const c = pending(started, 'c');
    const first = order.run(['t/0'], a.send);
    const second = order.run(['t/1'], b.send);
    // Waits for both: it shares t/0 with the first and t/1 with the second.
    const third = order.run(['t/0', 't/1'], c.send);
    a.end(false);
    await expect(first).rejects.toThrow('a failed');
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.end();
    await expect(second).resolves.toBe('b');
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    c.end();
    await expect(third).resolves.toBe('c');
  });
});

describe('partitionsOf', () => {
  const record = (partition: number) => ({ key: null, value: null, partition });

  // A batch's outputs come as one entry per publish: a send of a thousand records to one
  // partition is a thousand entries, and names that partition once.
  it('lists each partition a send writes once, however many entries write to it', () => {
    expect(
      partitionsOf([
        { topic: 'a', records: [record(0), record(1)] },
        { topic: 'a', records: [record(0)] },
        { topic: 'b', records: [record(0)] },
        { topic: 'a', records: [record(1), record(2)] },
      ]),
    ).toEqual([
      partitionKey({ topic: 'a', partition: 0 }),
      partitionKey({ topic: 'a', partition: 1 }),
      partitionKey({ topic: 'b', partition: 0 }),
      partitionKey({ topic: 'a', partition: 2 }),
    ]);
  });
});
