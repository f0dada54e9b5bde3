import type { ReadRecord } from '../../codec/read-record';
import type { RecordGate, Rejection } from '../../codec/record-gate';
import type { TopicCodec } from '../../codec/topic-codec';
import { StreamwiseError } from '../../errors/streamwise-error';
import type { Logger } from '../../logging/logger';
import type { TopicKey } from '../../model/topics/key-serde';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { DeliveredRecord } from '../../transport/transport';
import type { MaterializedTable } from './materialized-table';

/**
 * The records a restore left out because they cannot be read. A restore reads every bad record
 * again at each start; one line per restore (with the count and the first) says as much as one
 * per record, without hundreds of error lines each start.
 */
export class SkippedRecords {
  #count = 0;
  #first: Readonly<Record<string, unknown>> | undefined;

  add(record: DeliveredRecord, error: unknown): void {
    this.#count++;
    this.#first ??= { partition: record.partition, offset: record.offset, error };
  }

  /** Logs the restore's skipped records once, at warn, and starts counting afresh. */
  report(logger: Logger, topic: string): void {
    if (this.#count === 0) return;
    logger.warn('table left out records it cannot read while restoring', {
      topic,
      skipped: this.#count,
      first: this.#first,
    });
    this.#count = 0;
    this.#first = undefined;
  }
}

/**
 * Applies one record of a table's topic to the table: decoded, validated and upcast like any
 * consumed value; a tombstone deletes. Records the table already applied (below its stored
 * position) are skipped, so a re-read never applies one twice. With a gate, a record that does not
 * belong on the topic (another writer than its owner, a tombstone included; unsigned under
 * 'dead-letter'; mis-keyed) is skipped and counted: the topic's handlers dead-letter it, a view
 * only leaves it out. A record that cannot be read is left out too: counted in `skipped` during a
 * restore, logged at error otherwise. Synchronous unless the value needs the schema registry: a
 * restore applies hundreds of thousands of records, and a promise each was a tenth of its time.
 */
export function applyTableRecord<K extends TopicKey, V>(
  topic: TopicDefinition<V, K>,
  table: MaterializedTable<K, V>,
  values: TopicCodec,
  logger: Logger,
  record: DeliveredRecord,
  gate?: RecordGate,
  skipped?: SkippedRecords,
): void | Promise<void> {
  if (record.offset < (table.store.positions().get(record.partition) ?? 0)) return;
  const definition = topic as TopicDefinition;
  const rejected = gate?.check(definition, record);
  if (gate !== undefined && rejected !== undefined) return skip(table, gate, record, rejected);
  let read: ReadRecord | Promise<ReadRecord>;
  try {
    read = values.decode(definition, record);
  } catch (error) {
    return leaveOut(record, error, logger, skipped);
  }
  if (read instanceof Promise) {
    return read.then(
      (done) => applyRead(definition, table, values, record, done, gate, logger, skipped),
      (error: unknown) => leaveOut(record, error, logger, skipped),
    );
  }
  return applyRead(definition, table, values, record, read, gate, logger, skipped);
}

// Arguments rather than one object of them: a restore applies hundreds of thousands of records,
// and an object each only fed the garbage collector.
function applyRead<K extends TopicKey, V>(
  definition: TopicDefinition,
  table: MaterializedTable<K, V>,
  values: TopicCodec,
  record: DeliveredRecord,
  read: ReadRecord,
  gate: RecordGate | undefined,
  logger: Logger,
  skipped: SkippedRecords | undefined,
): void {
  try {
    const value = read.value === undefined ? undefined : values.conform(definition, read);
    const wrongKey =
      value === undefined ? undefined : gate?.checkKey(definition, record, read.key, value);
    if (gate !== undefined && wrongKey !== undefined) return skip(table, gate, record, wrongKey);
    if (read.key !== undefined) {
      const json =
        value === undefined || !table.store.writesJson
          ? undefined
          : values.valueJson(definition, record, read);
      table.apply(read.key as K, value as V | undefined, record.partition, record.offset, json);
    }
  } catch (error) {
    leaveOut(record, error, logger, skipped);
  }
}

function leaveOut(
  record: DeliveredRecord,
  error: unknown,
  logger: Logger,
  skipped: SkippedRecords | undefined,
): void {
  // A registry that is down: leave the record for redelivery rather than skip it.
  if (error instanceof StreamwiseError && error.retriable) throw error;
  // Bad records are dead-lettered by the topic's consumers; a view just leaves them out.
  if (skipped !== undefined) {
    skipped.add(record, error);
    return;
  }
  logger.error('table left out a record it cannot read', {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    error,
  });
}

function skip<K extends TopicKey, V>(
  table: MaterializedTable<K, V>,
  gate: RecordGate,
  record: DeliveredRecord,
  rejection: Rejection,
): void {
  table.skipped[rejection.reason]++;
  gate.reportSkipped(record, rejection);
}
