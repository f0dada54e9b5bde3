import { ConfigurationError } from '../errors/configuration-error';
import type { ReplicaDatabase } from './replica-database';
import { OFFSETS_TABLE } from './replica-sql';
import { readLive } from './replica-versions';
import { versionTable } from './replica-versions-sql';

/** A replica row: the key column and the declared columns, as the database returns them. */
export type ReplicaRow = Record<string, unknown>;

/**
 * What a service reads of its @Replicate table. Read-only by construction: every statement runs
 * in a READ ONLY transaction, so even SQL that tries to write is refused by the database. The
 * replica is the table's single writer; other teams read the same table with plain SQL.
 */
export class ReplicaReader<Row extends ReplicaRow = ReplicaRow> {
  readonly #database: ReplicaDatabase;
  /** The table's name, for SQL written by hand. */
  readonly table: string;
  readonly #keyColumn: string;
  readonly #topics: readonly string[];

  constructor(
    database: ReplicaDatabase,
    table: string,
    keyColumn: string,
    topics: readonly string[],
  ) {
    this.#database = database;
    this.table = table;
    this.#keyColumn = keyColumn;
    this.#topics = topics;
  }

  /** The row of `key` (the record's key as text), or undefined. */
  async get(key: string): Promise<Row | undefined> {
    const rows = await this.query<Row>(
      `SELECT * FROM "${this.table}" WHERE "${this.#keyColumn}" = $1`,
      [key],
    );
    return rows[0];
  }

  /** Every row, ordered by key. */
  all(): Promise<Row[]> {
    return this.query<Row>(`SELECT * FROM "${this.table}" ORDER BY "${this.#keyColumn}"`);
  }

  async count(): Promise<number> {
    const rows = await this.query<{ count: string }>(
      `SELECT count(*) AS count FROM "${this.table}"`,
    );
    return Number(rows[0]?.count ?? 0);
  }

  /**
   * How far the table is behind its topic: the next offset of each partition as the live version
   * stored it with its last batch. The rows reflect every record below these offsets, so a reader
   * can wait for a topic's end offsets to be reached. Partitions not applied yet are missing. A
   * projection of several topics has positions per input: name the topic (its name or definition).
   */
  async positions(topic?: string | { readonly name: string }): Promise<Map<number, number>> {
    const name = typeof topic === 'object' ? topic.name : topic;
    if (name === undefined && this.#topics.length > 1) {
      throw new ConfigurationError(
        `Replica "${this.table}" reads ${this.#topics.join(', ')}: pass the topic to positions(), e.g. positions('${this.#topics[0]}').`,
      );
    }
    const input = name ?? this.#topics[0];
    return this.#database.transaction(
      async (sql) => {
        const live = await readLive(sql, this.table);
        if (live === undefined) return new Map<number, number>();
        const { rows } = await sql.query(
          `SELECT partition, next_offset FROM ${OFFSETS_TABLE} WHERE replica = $1 AND topic = $2`,
          [versionTable(this.table, live.version), input],
        );
        return new Map(rows.map((row) => [Number(row.partition), Number(row.next_offset)]));
      },
      { readOnly: true },
    );
  }

  /** Any read, with $1, $2, … parameters; the database refuses writes. */
  query<R extends ReplicaRow = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.#database.transaction(async (db) => (await db.query(sql, params)).rows as R[], {
      readOnly: true,
    });
  }
}
