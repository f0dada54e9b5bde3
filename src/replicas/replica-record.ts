import type { RecordGate } from '../codec/record-gate';
import type { TopicCodec } from '../codec/topic-codec';
import { StreamwiseError } from '../errors/streamwise-error';
import type { ReplicaMetadata } from '../model/service/replica-metadata';
import type { DeadLetterReason } from '../runtime/dead-letter-record';
import type { DeliveredRecord } from '../transport/transport';
import { keyText, rowOf } from './replica-row';

/**
 * What one record does to a replica table: a row for its key, a deletion, a value to fold (a
 * projection's input, null for a tombstone), or nothing.
 */
export type ReplicaChange =
  | { readonly kind: 'row'; readonly key: string; readonly row: unknown[] }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'fold'; readonly key: string; readonly input: number; readonly value: unknown }
  | { readonly kind: 'bad'; readonly reason: DeadLetterReason; readonly error: unknown };

/**
 * Decodes and checks a record like a handler's input and maps it to its row: the one path of the
 * live replica (which dead-letters the bad ones) and of a rebuild (which passes over them, as the
 * live replica dead-lettered them already). Throws only what is not the record's fault (a schema
 * registry that cannot answer yet), so the record is read again.
 */
export async function replicaChange(
  replica: ReplicaMetadata,
  values: TopicCodec,
  gate: RecordGate,
  record: DeliveredRecord,
): Promise<ReplicaChange> {
  const input = replica.inputs.findIndex((i) => i.topic.name === record.topic);
  const topic = replica.inputs[input]?.topic ?? replica.topic;
  const rejected = gate.check(topic, record);
  if (rejected !== undefined) return { kind: 'bad', ...rejected };
  let read;
  try {
    read = await values.decode(topic, record);
  } catch (error) {
    if (error instanceof StreamwiseError && error.retriable) throw error;
    return { kind: 'bad', reason: 'undecodable', error };
  }
  const key = keyText(read.key);
  if (read.value === undefined) {
    return replica.projection ? { kind: 'fold', key, input, value: null } : { kind: 'delete', key };
  }
  let value: unknown;
  try {
    value = values.conform(topic, read);
  } catch (error) {
    return { kind: 'bad', reason: 'invalid', error };
  }
  const wrongKey = gate.checkKey(topic, record, read.key, value);
  if (wrongKey !== undefined) return { kind: 'bad', ...wrongKey };
  if (replica.projection) return { kind: 'fold', key, input, value };
  try {
    return { kind: 'row', key, row: rowOf(replica, key, value, record) };
  } catch (error) {
    // A column's `from` that throws on this value fails the same way every time.
    return { kind: 'bad', reason: 'handler-failed', error };
  }
}
