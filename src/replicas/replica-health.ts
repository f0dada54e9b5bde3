import type { Logger } from '../logging/logger';

/** Readiness of one replica: false while its database cannot be written or read. */
export interface ReplicaStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly detail: string;
}

/** Whether a replica's database answers, as its last write or read found: logged once per change. */
export class ReplicaHealth {
  readonly #logger: Logger;
  readonly #table: string;
  #failure: unknown;

  constructor(logger: Logger, table: string) {
    this.#logger = logger;
    this.#table = table;
  }

  /** The database's error, or undefined while it answers. */
  get problem(): string | undefined {
    if (this.#failure === undefined) return undefined;
    const failure: unknown = this.#failure;
    const message = failure instanceof Error ? failure.message : JSON.stringify(failure);
    return `database unavailable: ${message}`;
  }

  failed(error: unknown): void {
    if (this.#failure === undefined) {
      this.#logger.error('replica cannot reach its database; records wait', {
        table: this.#table,
        error,
      });
    }
    this.#failure = error;
  }

  recovered(): void {
    if (this.#failure === undefined) return;
    this.#failure = undefined;
    this.#logger.info('replica reaches its database again', { table: this.#table });
  }
}
