/** The rows a statement returned, as objects keyed by column name. */
export interface ReplicaQueryResult {
  readonly rows: readonly Record<string, unknown>[];
}

/** Runs one SQL statement with $1, $2, … parameters. */
export interface ReplicaSql {
  query(text: string, params?: readonly unknown[]): Promise<ReplicaQueryResult>;
}

/**
 * The database replicas write to and read from: `postgresDatabase()` from 'streamwise/postgres'
 * (a PostgreSQL server through `pg`), or your own implementation (an embedded database, say).
 * The app never closes it: close it after `app.stop()`.
 */
export interface ReplicaDatabase extends ReplicaSql {
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it rejects. `readOnly` makes the database refuse every write inside it.
   */
  transaction<T>(
    work: (sql: ReplicaSql) => Promise<T>,
    options?: { readonly readOnly?: boolean },
  ): Promise<T>;
  close(): Promise<void>;
}
