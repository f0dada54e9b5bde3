import { defineTopic } from '../codec/define-topic';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import { canonicalRow, canonicalValue, rowParams } from './projection-row';

const Topic = defineTopic<unknown>({ name: 't', entity: 'T', key: () => 'k' });

const replica: ReplicaMetadata = {
  property: 'rows',
  topic: Topic,
  inputs: [{ topic: Topic, project: (row) => row ?? null }],
  projection: true,
  table: 'rows_v1',
  keyColumn: 'id',
  version: 1,
  columns: (
    [
      ['name', 'text'],
      ['count', 'integer'],
      ['big', 'bigint'],
      ['ratio', 'double precision'],
      ['amount', 'numeric'],
      ['ok', 'boolean'],
      ['doc', 'jsonb'],
      ['at', 'timestamptz'],
    ] as const
  ).map(([name, type]) => ({ name, type, from: () => undefined })),
};

describe('canonicalValue', () => {
  it('gives each type one form, whether from a fold or from the table', () => {
    // What a fold may return, and what pg or PGlite give back for the same value.
    expect(canonicalValue('c', 'text', 5)).toBe('5');
    expect(canonicalValue('c', 'integer', 7)).toBe(7);
    expect(canonicalValue('c', 'bigint', 9_007_199_254_740_991)).toBe('9007199254740991');
    expect(canonicalValue('c', 'bigint', '12')).toBe('12');
    expect(canonicalValue('c', 'bigint', 12n)).toBe('12');
    expect(canonicalValue('c', 'double precision', '0.5')).toBe(0.5);
    expect(canonicalValue('c', 'numeric', 10.25)).toBe('10.25');
    expect(canonicalValue('c', 'numeric', '10.250')).toBe('10.250');
    expect(canonicalValue('c', 'boolean', false)).toBe(false);
    expect(canonicalValue('c', 'jsonb', { a: [1, undefined] })).toEqual({ a: [1, null] });
    expect(canonicalValue('c', 'timestamptz', 1_000)).toEqual(new Date(1_000));
    expect(canonicalValue('c', 'timestamptz', '1970-01-01T00:00:01.000Z')).toEqual(new Date(1_000));
    expect(canonicalValue('c', 'text', undefined)).toBeNull();
  });

  it('refuses a value the column cannot hold, naming the column', () => {
    expect(() => canonicalValue('count', 'integer', 1.5)).toThrow(
      'column "count" (integer) cannot hold 1.5 (number).',
    );
    expect(() => canonicalValue('count', 'integer', 2 ** 31)).toThrow(/cannot hold/);
    expect(() => canonicalValue('big', 'bigint', 'ten')).toThrow(
      'column "big" (bigint) cannot hold "ten" (string).',
    );
    expect(() => canonicalValue('ok', 'boolean', 'yes')).toThrow(/cannot hold/);
    expect(() => canonicalValue('at', 'timestamptz', 'never')).toThrow(/cannot hold/);
    expect(() => canonicalValue('ratio', 'double precision', Number.NaN)).toThrow(/cannot hold/);
  });
});

describe('canonicalRow', () => {
  it('fills missing columns with null and keeps the key', () => {
    expect(canonicalRow(replica, 'k1', { name: 'a', count: 1 })).toEqual({
      id: 'k1',
      name: 'a',
      count: 1,
      big: null,
      ratio: null,
      amount: null,
      ok: null,
      doc: null,
      at: null,
    });
  });

  it('refuses what is not a row, unknown columns, and another key', () => {
    expect(() => canonicalRow(replica, 'k1', undefined)).toThrow(
      'it returned undefined; return the row as an object of its columns, or null to delete it.',
    );
    expect(() => canonicalRow(replica, 'k1', { nmae: 'a' })).toThrow(
      'it returned "nmae", not column(s) of the table (id, name, count, big, ratio, amount, ok, doc, at).',
    );
    expect(() => canonicalRow(replica, 'k1', { id: 'k2' })).toThrow(
      `it returned id "k2" for the key "k1"; a row's key is its records' key.`,
    );
  });

  it('turns a row into statement parameters, jsonb as text', () => {
    const row = canonicalRow(replica, 'k1', { doc: { a: 1 }, at: 0 });
    expect(rowParams(replica, row)).toEqual([
      'k1',
      null,
      null,
      null,
      null,
      null,
      null,
      '{"a":1}',
      new Date(0),
    ]);
  });
});
