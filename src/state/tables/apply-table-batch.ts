import type { RecordGate } from '../../codec/record-gate';
import type { TopicCodec } from '../../codec/topic-codec';
import type { Logger } from '../../logging/logger';
import type { TopicKey } from '../../model/topics/key-serde';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { DeliveredRecord } from '../../transport/transport';
import { applyTableRecord, type SkippedRecords } from './apply-table-record';
import type { MaterializedTable } from './materialized-table';

/** What a batch is applied to, and how its records are read. */
export interface TableBatchTarget<K extends TopicKey, V> {
  readonly topic: TopicDefinition<V, K>;
  readonly table: MaterializedTable<K, V>;
  readonly values: TopicCodec;
  readonly logger: Logger;
  readonly gate?: RecordGate;
}

/**
 * Applies the records of one fetched batch (one partition, offset order) to a table, each as
 * applyTableRecord does (tombstones delete, records below the stored position and records that
 * cannot be read are left out), in one loop and one store write: a persistent table commits the
 * batch's rows and positions in one transaction. Synchronous unless a record needs the schema
 * registry (the records before it are then committed, and the rest follow once it is applied),
 * or the store is behind with its writes (the promise of its backpressure).
 */
export function applyTableBatch<K extends TopicKey, V>(
  target: TableBatchTarget<K, V>,
  records: readonly DeliveredRecord[],
  skipped?: SkippedRecords,
): void | Promise<void> {
  const { topic, table, values, logger, gate } = target;
  const waiting = table.store.writeBatch(() => {
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      const applied = applyTableRecord(topic, table, values, logger, record, gate, skipped);
      if (applied instanceof Promise) return { index, applied };
    }
    return undefined;
  });
  if (waiting === undefined) return table.store.backpressure();
  const rest = records.slice(waiting.index + 1);
  return waiting.applied.then(() => applyTableBatch(target, rest, skipped));
}
