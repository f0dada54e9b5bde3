import type {
  ProjectedRow,
  ReplicaColumnType,
  ReplicaMetadata,
} from '../model/service/replica-metadata';

const INT32 = 2 ** 31;
const WHOLE = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function refuse(column: string, type: ReplicaColumnType, raw: unknown): never {
  throw new TypeError(
    `column "${column}" (${type}) cannot hold ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)} (${typeof raw}).`,
  );
}

/**
 * One column's value in the form a projection always sees, whether the row comes from a record
 * folded in this batch or from the table: text a string, integer and double precision a number,
 * bigint and numeric a string (exact), boolean a boolean, jsonb its JSON value, timestamptz a Date.
 * The same form both ways keeps a fold's result independent of where a batch ended (a restart).
 * A value the column cannot hold throws, so the record is dead-lettered instead of failing the batch.
 */
export function canonicalValue(column: string, type: ReplicaColumnType, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'text':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return refuse(column, type, raw);
    case 'integer': {
      const n = typeof raw === 'string' && WHOLE.test(raw) ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isInteger(n) && n >= -INT32 && n < INT32) return n;
      return refuse(column, type, raw);
    }
    case 'bigint':
      if (typeof raw === 'bigint') return raw.toString();
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
      if (typeof raw === 'string' && WHOLE.test(raw)) return raw;
      return refuse(column, type, raw);
    case 'numeric':
      if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
      if (typeof raw === 'string' && DECIMAL.test(raw)) return raw;
      return refuse(column, type, raw);
    case 'double precision': {
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      return refuse(column, type, raw);
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return refuse(column, type, raw);
    case 'jsonb':
      return JSON.parse(JSON.stringify(raw)) as unknown;
    case 'timestamptz': {
      const date =
        raw instanceof Date
          ? raw
          : typeof raw === 'number' || typeof raw === 'string'
            ? new Date(raw)
            : undefined;
      if (date !== undefined && !Number.isNaN(date.getTime())) return new Date(date.getTime());
      return refuse(column, type, raw);
    }
  }
}

/**
 * The row a projection returned (or the table held), checked and in canonical form, with its key.
 * Properties that are not columns are refused: a misspelt column would silently stay empty.
 */
export function canonicalRow(
  replica: ReplicaMetadata,
  key: string,
  row: unknown,
): Record<string, unknown> {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new TypeError(
      `it returned ${Array.isArray(row) ? 'an array' : String(row)}; return the row as an object of its columns, or null to delete it.`,
    );
  }
  const given = row as ProjectedRow;
  const known = new Set([replica.keyColumn, ...replica.columns.map((c) => c.name)]);
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new TypeError(
      `it returned ${unknown.map((n) => `"${n}"`).join(', ')}, not column(s) of the table (${[...known].join(', ')}).`,
    );
  }
  const keyValue = given[replica.keyColumn];
  if (keyValue !== undefined && keyValue !== key) {
    throw new TypeError(
      `it returned ${replica.keyColumn} ${JSON.stringify(keyValue)} for the key ${JSON.stringify(key)}; a row's key is its records' key.`,
    );
  }
  const canonical: Record<string, unknown> = { [replica.keyColumn]: key };
  for (const column of replica.columns) {
    canonical[column.name] = canonicalValue(column.name, column.type, given[column.name]);
  }
  return canonical;
}

/** A canonical row as statement parameters: key first, columns in declared order, jsonb as text. */
export function rowParams(replica: ReplicaMetadata, row: Record<string, unknown>): unknown[] {
  return [
    row[replica.keyColumn],
    ...replica.columns.map((column) => {
      const value = row[column.name];
      return column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
    }),
  ];
}
