import type { ReplicaMetadata, ReplicaRecordInfo } from '../model/service/replica-metadata';
import type { TopicKey } from '../model/topics/key-serde';

/** The key column's text: strings as they are, anything else as JSON. */
export function keyText(key: TopicKey | undefined): string {
  if (typeof key === 'string') return key;
  return JSON.stringify(key) ?? '';
}

/**
 * A row's parameters, key first, in the declared column order. jsonb values go as JSON text (pg
 * would send a JS array as a PostgreSQL array), timestamps given as epoch ms as dates.
 */
export function rowOf(
  replica: ReplicaMetadata,
  key: string,
  value: unknown,
  record: ReplicaRecordInfo,
): unknown[] {
  const row: unknown[] = [key];
  for (const column of replica.columns) {
    const raw = column.from(value, record);
    if (raw === undefined || raw === null) row.push(null);
    else if (column.type === 'jsonb') row.push(JSON.stringify(raw));
    else if (column.type === 'timestamptz' && typeof raw === 'number') row.push(new Date(raw));
    else row.push(raw);
  }
  return row;
}
