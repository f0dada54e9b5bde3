import { TransportError } from '../../errors/transport-error';

/** A partition batch's part in the open transaction (see SharedTransactions). */
export interface TransactionShare<T> {
  /**
   * Runs a call on the transaction after every call before it: the client merges concurrent
   * requests of one kind (two partitions adding their offsets at once would send only the
   * first), so calls on a transaction never overlap. A failed call aborts the whole transaction.
   */
  run<R>(call: (transaction: T) => Promise<R>): Promise<R>;
  /** This part is complete: resolves once the transaction committed, rejects if it aborted. */
  commit(): Promise<void>;
  /** This part is given up, so the transaction aborts; resolves once it ended. */
  abort(): Promise<void>;
}

export interface SharedTransactionsDeps<T> {
  /** Opens a transaction (the client allows one at a time per producer). */
  readonly begin: () => Promise<T>;
  /** Commits, or aborts; a commit that fails must abort before it rejects. */
  readonly end: (transaction: T, commit: boolean) => Promise<void>;
}

/**
 * The transactions of one transactional producer, each shared by the partitions whose batches
 * commit at about the same time (as Kafka Streams commits all of an instance's tasks in one
 * transaction per commit interval). A transaction commits once every part in it is complete, so
 * a partition's outputs never become visible without its offsets; one part's failure aborts all
 * of them, and each is handled again. While one transaction ends (its markers are written, a
 * few ms), the parts arriving join the next: the busier the instance, the more each carries.
 */
export class SharedTransactions<T> {
  readonly #deps: SharedTransactionsDeps<T>;
  #open: Round<T> | undefined;
  #previous: Promise<void> = Promise.resolve();

  constructor(deps: SharedTransactionsDeps<T>) {
    this.#deps = deps;
  }

  /** A part in the open transaction, or in the next one when it no longer takes parts. */
  join(): TransactionShare<T> {
    if (this.#open === undefined || !this.#open.joinable()) {
      const round = new Round(this.#deps, this.#previous);
      this.#open = round;
      this.#previous = round.ended;
    }
    return this.#open.add();
  }
}

class Round<T> {
  readonly ended: Promise<void>;
  readonly #deps: SharedTransactionsDeps<T>;
  readonly #transaction: Promise<T>;
  #chain: Promise<unknown>;
  #begun = false;
  #parts = 0;
  #complete = 0;
  #closed = false;
  #failure: Error | undefined;
  #settle: (error?: Error) => void = () => undefined;
  readonly #outcome: Promise<void>;

  constructor(deps: SharedTransactionsDeps<T>, previous: Promise<void>) {
    this.#deps = deps;
    this.#outcome = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#outcome.catch(() => undefined);
    this.ended = this.#outcome.catch(() => undefined);
    this.#transaction = previous.then(() => deps.begin());
    this.#transaction.then(
      () => {
        this.#begun = true;
        this.#finishIfComplete();
      },
      (error: unknown) => this.#fail(error),
    );
    this.#chain = this.#transaction.catch(() => undefined);
  }

  /**
   * Parts join until one is complete (which takes the transaction to have begun). A part that
   * joined later could be a later send of a batch whose commit waits for this transaction.
   */
  joinable(): boolean {
    return !this.#closed && this.#failure === undefined && this.#complete === 0;
  }

  add(): TransactionShare<T> {
    this.#parts++;
    let done = false;
    const complete = (): void => {
      if (done) return;
      done = true;
      this.#complete++;
      this.#finishIfComplete();
    };
    return {
      run: (call) => this.#run(call),
      commit: () => {
        complete();
        return this.#outcome;
      },
      abort: () => {
        this.#fail(
          new TransportError(
            'Kafka: a partition gave up its part of the shared transaction; the transaction is aborted and the records of every partition in it are delivered again.',
            { retriable: true },
          ),
        );
        complete();
        return this.ended;
      },
    };
  }

  #run<R>(call: (transaction: T) => Promise<R>): Promise<R> {
    const result = this.#chain.then(async () => {
      if (this.#failure !== undefined) throw this.#failure;
      return call(await this.#transaction);
    });
    this.#chain = result.catch((error: unknown) => this.#fail(error));
    return result;
  }

  /** The transaction cannot commit any more; it aborts once every part is complete. */
  #fail(error: unknown): void {
    this.#failure ??=
      error instanceof Error ? error : new TransportError(String(error), { retriable: true });
    this.#finishIfComplete();
  }

  #finishIfComplete(): void {
    if (this.#closed || this.#complete < this.#parts) return;
    // Without a transaction (begin failed) there is nothing to end.
    if (!this.#begun && this.#failure === undefined) return;
    this.#closed = true;
    void this.#chain.then(async () => {
      if (!this.#begun) return this.#settle(this.#failure);
      const transaction = await this.#transaction;
      const commit = this.#failure === undefined;
      try {
        await this.#deps.end(transaction, commit);
        this.#settle(commit ? undefined : this.#failure);
      } catch (error) {
        this.#fail(error);
        this.#settle(this.#failure);
      }
    });
  }
}
