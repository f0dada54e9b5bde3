import { defineTopic } from '../codec/define-topic';
import type { ProjectedRow, ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeliveredRecord } from '../transport/transport';
import { FOLD_STEPS, projectionResolver, type ProjectionStep } from './projection-fold';
import type { ReplicaSql } from './replica-database';
import { ReplicaPending } from './replica-pending';

const Counts = defineTopic<{ id: string; n: number }>({ name: 'c', entity: 'C', key: (v) => v.id });

/** Sums `n` per key; a negative `n` throws. */
const replica: ReplicaMetadata = {
  property: 'sums',
  topic: Counts,
  inputs: [
    {
      topic: Counts,
      project: (row: ProjectedRow | undefined, value: unknown) => {
        if (value === null) return null;
        const { id, n } = value as { id: string; n: number };
        if (n < 0) throw new Error('negative');
        return { id, total: Number(row?.total ?? 0) + n };
      },
    },
  ],
  projection: true,
  table: 'sums_v1',
  keyColumn: 'id',
  version: 1,
  columns: [{ name: 'total', type: 'integer', from: () => undefined }],
};

/** A table of one row per key, as SELECT * gives it back. */
function tableSql(rows: Record<string, unknown>[]): ReplicaSql & { reads: number } {
  const sql = {
    reads: 0,
    query: (_text: string, params?: readonly unknown[]) => {
      sql.reads++;
      const keys = (params?.[0] ?? []) as string[];
      return Promise.resolve({ rows: rows.filter((row) => keys.includes(String(row.id))) });
    },
  };
  return sql;
}

let offset = 0;
function step(id: string, n: number | null): ProjectionStep[] {
  const record = { topic: 'c', partition: 0, offset: offset++ } as DeliveredRecord;
  return [
    {
      input: 0,
      value: n === null ? null : { id, n },
      info: { partition: 0, offset: record.offset, timestamp: 0 },
      record,
    },
  ];
}

describe('projectionResolver', () => {
  it("folds each key's records in order onto the row the table holds, in one read", async () => {
    const failed = jest.fn(() => Promise.resolve());
    const resolve = projectionResolver(replica, failed);
    const sql = tableSql([{ id: 'a', total: 10 }]);
    const pending = new ReplicaPending(FOLD_STEPS);
    pending.assign(0, new Map([['c', 0]]));
    pending.take('c', 0, 0, 'a', step('a', 1));
    pending.take('c', 0, 1, 'a', step('a', 2));
    pending.take('c', 0, 2, 'b', step('b', 5));
    pending.take('c', 0, 3, 'd', step('d', 1));
    pending.take('c', 0, 4, 'd', step('d', null));
    expect(pending.size).toBe(5);
    const [batch] = pending.drain();
    const rows = await resolve(sql, batch.rows);
    expect(sql.reads).toBe(1);
    expect(rows).toEqual(
      new Map<string, unknown>([
        ['a', ['a', 13]],
        ['b', ['b', 5]],
        ['d', null],
      ]),
    );
    expect(failed).not.toHaveBeenCalled();
  });

  it('tells a throwing fold once, and passes over its record when the batch is folded again', async () => {
    const failed = jest.fn((_step: ProjectionStep, _error: unknown) => Promise.resolve());
    const resolve = projectionResolver(replica, failed);
    const changes = new Map([['a', [...step('a', 1), ...step('a', -1), ...step('a', 2)]]]);
    expect(await resolve(tableSql([]), changes)).toEqual(new Map([['a', ['a', 3]]]));
    expect(failed).toHaveBeenCalledTimes(1);
    expect(failed.mock.calls[0][1]).toEqual(new Error('negative'));
    // The database refused the batch: it is folded again, without a second dead letter.
    expect(await resolve(tableSql([]), changes)).toEqual(new Map([['a', ['a', 3]]]));
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('folds the record again when its dead letter could not be written', async () => {
    const failed = jest
      .fn((_step: ProjectionStep, _error: unknown) => Promise.resolve())
      .mockRejectedValueOnce(new Error('broker down'));
    const resolve = projectionResolver(replica, failed);
    const changes = new Map([['a', step('a', -1)]]);
    await expect(resolve(tableSql([]), changes)).rejects.toThrow('broker down');
    expect(await resolve(tableSql([]), changes)).toEqual(new Map([['a', null]]));
    expect(failed).toHaveBeenCalledTimes(2);
  });

  it('refuses a row the table cannot hold like a fold that throws', async () => {
    const failed = jest.fn((_step: ProjectionStep, _error: unknown) => Promise.resolve());
    const odd: ReplicaMetadata = {
      ...replica,
      inputs: [{ topic: Counts, project: () => ({ total: 1.5 }) }],
    };
    expect(
      await projectionResolver(odd, failed)(tableSql([]), new Map([['a', step('a', 1)]])),
    ).toEqual(new Map([['a', null]]));
    expect(String(failed.mock.calls[0][1])).toBe(
      'TypeError: column "total" (integer) cannot hold 1.5 (number).',
    );
  });
});
