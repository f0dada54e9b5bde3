import type { Broker, ConnectionPool } from '@platformatic/kafka';

/**
 * The fetch loop's own connections (never the consumer's: Kafka answers a connection's requests in
 * order, so a fetch waiting at the broker would hold up commits, heartbeats and the leave). Closing
 * them gives up the fetch in flight at once instead of waiting up to maxWaitTimeMs for its answer.
 */
export class FetchConnections {
  readonly pool: ConnectionPool;
  #closing = false;
  /** Wakes the fetch being waited for, if any (none between rounds). */
  #givingUp: (() => void) | undefined;

  constructor(pool: ConnectionPool) {
    this.pool = pool;
  }

  /**
   * Opens the connections to `nodes` before their first fetch. The client's pool keeps, for the
   * life of a connection, what the request that opened it was called with (the connection's
   * listeners share that scope): opened by a fetch, that is its whole answer, up to a megabyte per
   * partition, for as long as the member runs.
   */
  async open(brokers: ReadonlyMap<number, Broker>, nodes: readonly number[]): Promise<void> {
    await Promise.all(
      nodes.map(async (node) => {
        const broker = brokers.get(node);
        if (broker !== undefined && this.pool.getEstablishedConnection(broker) === undefined) {
          await this.pool.get(broker);
        }
      }),
    );
  }

  /**
   * The fetch's answer, or undefined once close() is called: its answer (or the error of its
   * closed connection) then goes nowhere. Nothing outlives the fetch: racing it with a promise
   * that settles only at close would keep every answer reachable until then.
   */
  unlessClosed<T>(fetching: Promise<T>): Promise<T | undefined> {
    if (this.#closing) {
      fetching.catch(() => undefined);
      return Promise.resolve(undefined);
    }
    return new Promise<T | undefined>((resolve, reject) => {
      this.#givingUp = () => resolve(undefined);
      fetching.then(resolve, reject).finally(() => {
        this.#givingUp = undefined;
      });
    });
  }

  close(): Promise<void> {
    this.#closing = true;
    this.#givingUp?.();
    return this.pool.close();
  }
}
