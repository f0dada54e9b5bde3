import { defineTopic } from '../../codec/define-topic';
import { EventHandler } from '../../decorators/event-handler';
import { Materialize } from '../../decorators/materialize';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { ConfigurationError } from '../../errors/configuration-error';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import type { ReadOnlyTable } from './read-only-table';

interface Account {
  id: string;
  balance: number;
}
interface Debit {
  account: string;
  amount: number;
}

/** Accounts and debits are both keyed by account id and have 4 partitions: co-partitioned. */
const Accounts = defineTopic<Account>({
  name: 'accounts',
  entity: 'Account',
  key: (a) => a.id,
  partitions: 4,
  compacted: true,
});
const Debits = defineTopic<Debit>({
  name: 'debits',
  entity: 'Debit',
  key: (d) => d.account,
  partitions: 4,
});
const Verdicts = defineTopic<{ account: string; ok: boolean }>({
  name: 'verdicts',
  entity: 'Verdict',
  key: (v) => v.account,
  partitions: 4,
});

@Service('bank')
@OwnsTopic(Accounts, Debits)
class Bank extends StreamService {}

@Service('debit-checker')
@OwnsTopic(Verdicts)
class DebitChecker extends StreamService {
  @Materialize(Accounts, { mode: 'partitioned' })
  readonly accounts!: ReadOnlyTable<string, Account>;

  @EventHandler(Debits)
  async check(debit: Debit): Promise<void> {
    const balance = this.accounts.get(debit.account)?.balance ?? 0;
    await this.publish(Verdicts, { account: debit.account, ok: balance >= debit.amount });
  }
}

const ids = Array.from({ length: 12 }, (_, i) => `acct-${i}`);

describe('@Materialize partitioned tables', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('joins an input against the co-partitioned table partitions this instance holds', async () => {
    bed = await TestBed.start([Bank, DebitChecker]);
    for (const id of ids) await bed.send(Accounts, { id, balance: 100 });
    await bed.drain();
    for (const id of ids)
      await bed.send(Debits, { account: id, amount: id === 'acct-3' ? 500 : 50 });
    await bed.drain();
    const verdicts = bed.topic(Verdicts).values();
    expect(verdicts).toHaveLength(12);
    expect(verdicts.filter((v) => !v.ok)).toEqual([{ account: 'acct-3', ok: false }]);
  });

  it('splits the rows between instances with the partitions, and hands them over when one stops', async () => {
    bed = await TestBed.start([Bank, DebitChecker]);
    for (const id of ids) await bed.send(Accounts, { id, balance: 1 });
    await bed.drain();
    const second = await bed.startInstance([DebitChecker]);
    await bed.drain();
    const first = bed.service(DebitChecker).accounts;
    const other = second.service(DebitChecker).accounts;
    expect(first.size + other.size).toBe(ids.length);
    expect(first.size).toBeGreaterThan(0);
    expect(other.size).toBeGreaterThan(0);
    for (const id of ids) expect(first.has(id) !== other.has(id)).toBe(true);

    await second.stop();
    await bed.send(Accounts, { id: 'acct-0', balance: 7 });
    await bed.drain();
    expect(first.size).toBe(ids.length);
    expect(first.get('acct-0')).toEqual({ id: 'acct-0', balance: 7 });
  });

  it('requires the table and the inputs to be co-partitioned', async () => {
    const Narrow = defineTopic<Account>({
      name: 'narrow-accounts',
      entity: 'Account',
      key: (a) => a.id,
      partitions: 2,
      compacted: true,
    });
    @Service('mismatched-checker')
    class MismatchedChecker extends StreamService {
      @Materialize(Narrow, { mode: 'partitioned' })
      readonly accounts!: ReadOnlyTable<string, Account>;
      @EventHandler(Debits)
      check(): void {}
    }
    await expect(TestBed.start([Bank, MismatchedChecker])).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });
});
