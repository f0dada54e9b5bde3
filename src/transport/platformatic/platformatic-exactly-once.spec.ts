import type { Admin } from '@platformatic/kafka';

import { RecordingLogger } from '../../../test/support/recording-logger';
import type { ResolvedPlatformaticConfig } from './platformatic-config';
import { PlatformaticExactlyOnceProcessor } from './platformatic-exactly-once';
import * as transactions from './platformatic-transactions';

// The client's producer and the group coordinator's connection are replaced by a broker in this
// file; what is under test is how the processor settles a commit whose outcome was lost.
jest.mock('./platformatic-transactions', () => ({
  ...jest.requireActual<typeof transactions>('./platformatic-transactions'),
  createTransactionalProducer: jest.fn(),
  commitOffsetInTransaction: jest.fn(),
  stableCommittedOffset: jest.fn(),
}));
jest.mock('./group-coordinator-link', () => ({
  GroupCoordinatorLink: class {
    nodeId = () => Promise.resolve(1);
    forget = () => undefined;
    close = () => Promise.resolve();
  },
}));

const mocked = jest.mocked(transactions);

/**
 * A broker whose EndTxn answer is lost: the commit rejects as a timeout, and the group's offset
 * moved or not as `commits` says. Reading the committed offset fails `failures` times first (a
 * group coordinator moving).
 */
function lostCommitResponse(commits: boolean, failures: number, onFailedRead = () => {}) {
  let committed: number | undefined;
  let reads = 0;
  mocked.createTransactionalProducer.mockImplementation(() => {
    const producer = {
      beginTransaction: () => {
        let pending: number | undefined;
        const transaction = {
          completed: false,
          cancel: () => Promise.resolve(),
          abort: () => {
            transaction.completed = true;
            return Promise.resolve();
          },
          commit: () => {
            if (commits) committed = pending;
            return Promise.reject(new Error('EndTxn timed out'));
          },
          take: (offset: number) => {
            pending = offset;
          },
        };
        return Promise.resolve(transaction);
      },
      close: () => Promise.resolve(),
    };
    return producer as unknown as ReturnType<typeof transactions.createTransactionalProducer>;
  });
  mocked.commitOffsetInTransaction.mockImplementation((transaction, _m, _c, _p, nextOffset) => {
    (transaction as unknown as { take(offset: number): void }).take(nextOffset);
    return Promise.resolve();
  });
  mocked.stableCommittedOffset.mockImplementation(() => {
    if (++reads > failures) return Promise.resolve(committed);
    onFailedRead();
    return Promise.reject(new Error('The coordinator is not available'));
  });
}

describe('PlatformaticExactlyOnceProcessor, a commit whose outcome was lost', () => {
  const partition = { topic: 'in', partition: 0 };
  const membership = { consumer: {}, generationId: 1, memberId: 'm' };
  let held: boolean;
  let logger: RecordingLogger;
  const processor = () =>
    new PlatformaticExactlyOnceProcessor({
      config: { instanceId: 'i' } as ResolvedPlatformaticConfig,
      groupId: 'g',
      admin: {} as Admin,
      membership: () => ({
        current: () => (held ? (membership as unknown as transactions.GroupMembership) : undefined),
      }),
      sendLate: () => Promise.reject(new Error('no late output expected')),
      logger,
    });

  beforeEach(() => {
    held = true;
    logger = new RecordingLogger();
  });

  // Delivering the records again while the transaction may have committed would write them twice.
  it('keeps trying to learn it, and resolves when the transaction did commit', async () => {
    lostCommitResponse(true, 2);
    const eos = processor();
    await expect(eos.sink(partition).commit(10)).resolves.toBeUndefined();
    expect(logger.messages).toContain('a transaction whose commit seemed to fail had committed');
    await eos.close();
  });

  it('rejects once it learns the transaction did not commit, so its records are delivered again', async () => {
    lostCommitResponse(false, 2);
    const eos = processor();
    await expect(eos.sink(partition).commit(10)).rejects.toThrow(/EndTxn timed out/);
    await eos.close();
  });

  /** A commit whose outcome can never be learnt, and the moment the first attempt failed. */
  const unsettled = () => {
    let failedRead: () => void = () => undefined;
    const firstFailedRead = new Promise<void>((resolve) => {
      failedRead = resolve;
    });
    lostCommitResponse(true, Number.MAX_SAFE_INTEGER, () => failedRead());
    const eos = processor();
    return { eos, commit: eos.sink(partition).commit(10), firstFailedRead };
  };

  it('stops trying once the subscription stops (halt)', async () => {
    const { eos, commit, firstFailedRead } = unsettled();
    await firstFailedRead;
    eos.halt();
    await expect(commit).rejects.toThrow(/EndTxn timed out/);
    await eos.close();
  });

  it('stops trying once the member no longer holds the partition: its next holder learns it', async () => {
    const { eos, commit, firstFailedRead } = unsettled();
    await firstFailedRead;
    held = false;
    await expect(commit).rejects.toThrow(/EndTxn timed out/);
    await eos.close();
  });
});
