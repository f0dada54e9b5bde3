import { SharedTransactions } from './shared-transaction';

/** A fake producer: numbered transactions, and what happened to each. */
function fakeProducer(options: { failBegin?: number } = {}) {
  const log: string[] = [];
  let next = 0;
  let open: number | undefined;
  const transactions = new SharedTransactions<number>({
    begin: () => {
      const id = ++next;
      if (id === options.failBegin) return Promise.reject(new Error(`begin ${id} failed`));
      if (open !== undefined) throw new Error(`begin ${id} while ${open} is open`);
      open = id;
      log.push(`begin ${id}`);
      return Promise.resolve(id);
    },
    end: (id, commit) => {
      log.push(`${commit ? 'commit' : 'abort'} ${id}`);
      open = undefined;
      return Promise.resolve();
    },
  });
  return { transactions, log };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SharedTransactions', () => {
  it('puts the parts that join before one completes into one transaction, committed once all are complete', async () => {
    const { transactions, log } = fakeProducer();
    const a = transactions.join();
    const b = transactions.join();
    await a.run((id) => Promise.resolve(log.push(`a sends in ${id}`)));
    await b.run((id) => Promise.resolve(log.push(`b sends in ${id}`)));
    const aCommitted = a.commit();
    await flush();
    expect(log).not.toContain('commit 1');
    await b.run((id) => Promise.resolve(log.push(`b adds offsets in ${id}`)));
    await Promise.all([aCommitted, b.commit()]);
    expect(log).toEqual([
      'begin 1',
      'a sends in 1',
      'b sends in 1',
      'b adds offsets in 1',
      'commit 1',
    ]);
  });

  it('sends a part that joins after one completed to the next transaction, begun once the first ended', async () => {
    const { transactions, log } = fakeProducer();
    const a = transactions.join();
    const b = transactions.join();
    await a.run(() => Promise.resolve());
    const aCommitted = a.commit();
    const c = transactions.join();
    const cSent = c.run((id) => Promise.resolve(log.push(`c sends in ${id}`)));
    await flush();
    expect(log).toEqual(['begin 1']);
    await b.commit();
    await aCommitted;
    await cSent;
    await c.commit();
    expect(log).toEqual(['begin 1', 'commit 1', 'begin 2', 'c sends in 2', 'commit 2']);
  });

  it('runs the calls on a transaction one at a time, in the order asked', async () => {
    const { transactions } = fakeProducer();
    const a = transactions.join();
    const b = transactions.join();
    let running = 0;
    let most = 0;
    const call = async (): Promise<void> => {
      running++;
      most = Math.max(most, running);
      await flush();
      running--;
    };
    await Promise.all([a.run(call), b.run(call), a.run(call), b.run(call)]);
    expect(most).toBe(1);
    await Promise.all([a.commit(), b.commit()]);
  });

  it("aborts the whole transaction when one part gives up: the other part's commit fails", async () => {
    const { transactions, log } = fakeProducer();
    const a = transactions.join();
    const b = transactions.join();
    await a.run(() => Promise.resolve());
    await b.run(() => Promise.resolve());
    const bCommitted = b.commit();
    await a.abort();
    await expect(bCommitted).rejects.toThrow(/gave up its part/);
    expect(log).toEqual(['begin 1', 'abort 1']);
  });

  it("aborts the whole transaction when a call fails: every part's commit fails with its error", async () => {
    const { transactions, log } = fakeProducer();
    const a = transactions.join();
    const b = transactions.join();
    await expect(a.run(() => Promise.reject(new Error('ILLEGAL_GENERATION')))).rejects.toThrow(
      'ILLEGAL_GENERATION',
    );
    await expect(b.run(() => Promise.resolve())).rejects.toThrow('ILLEGAL_GENERATION');
    await expect(Promise.all([a.commit(), b.commit()])).rejects.toThrow('ILLEGAL_GENERATION');
    expect(log).toEqual(['begin 1', 'abort 1']);
    // The next part starts a new transaction.
    const c = transactions.join();
    await c.run(() => Promise.resolve());
    await c.commit();
    expect(log).toEqual(['begin 1', 'abort 1', 'begin 2', 'commit 2']);
  });

  it('fails the parts of a transaction that could not begin, and begins a new one for the next', async () => {
    const { transactions, log } = fakeProducer({ failBegin: 1 });
    const a = transactions.join();
    await expect(a.run(() => Promise.resolve())).rejects.toThrow('begin 1 failed');
    await expect(a.commit()).rejects.toThrow('begin 1 failed');
    const b = transactions.join();
    await b.run(() => Promise.resolve());
    await b.commit();
    expect(log).toEqual(['begin 2', 'commit 2']);
  });
});
