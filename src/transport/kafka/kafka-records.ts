import type {
  IHeaders,
  Message,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata as KafkaRecordMetadata,
  TopicMessages,
} from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import type { OutgoingRecord, RecordMetadata } from '../transport';

/** What both a kafkajs Producer and a kafkajs Transaction can do: send and report offsets. */
export interface KafkaSender {
  send(record: ProducerRecord): Promise<KafkaRecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<KafkaRecordMetadata[]>;
}

/** Records for one topic, in the order they were written. */
export interface TopicRecords {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
}

/** Checks the parts of an outgoing record the type system cannot (whole numbers, text headers). */
export function assertValidRecord(topic: string, record: OutgoingRecord, index: number): void {
  // Every output of every handler is checked: the text of an error is made only for one refused.
  if (!Number.isSafeInteger(record.partition) || record.partition < 0) {
    throw invalid(
      `${recordAt(topic, index)} has partition ${String(record.partition)}; use a whole number >= 0`,
    );
  }
  if (record.key !== null && !Buffer.isBuffer(record.key)) {
    throw invalid(
      `${recordAt(topic, index)} has a key that is neither a Buffer nor null; serialize it first`,
    );
  }
  if (record.value !== null && !Buffer.isBuffer(record.value)) {
    throw invalid(
      `${recordAt(topic, index)} has a value that is neither a Buffer nor null; serialize it first`,
    );
  }
  if (
    record.timestamp !== undefined &&
    (!Number.isSafeInteger(record.timestamp) || record.timestamp < 0)
  ) {
    throw invalid(
      `${recordAt(topic, index)} has timestamp ${String(record.timestamp)}; use epoch milliseconds (a whole number >= 0)`,
    );
  }
  const headers = record.headers;
  for (const name in headers) {
    if (typeof headers[name] !== 'string') {
      throw invalid(
        `${recordAt(topic, index)} has header "${name}" that is not a string; header values are text`,
      );
    }
  }
  const raw = record.rawHeaders;
  for (const name in raw) {
    const value = raw[name];
    if (
      !Buffer.isBuffer(value) &&
      !(Array.isArray(value) && value.every((b) => Buffer.isBuffer(b)))
    ) {
      throw invalid(
        `${recordAt(topic, index)} has raw header "${name}" that is not a Buffer or Buffer[]`,
      );
    }
  }
}

function recordAt(topic: string, index: number): string {
  return `record ${index} for "${topic}"`;
}

export function toKafkaMessage(record: OutgoingRecord, now: number): Message {
  return {
    key: record.key,
    value: record.value,
    partition: record.partition,
    headers: kafkaHeaders(record),
    timestamp: String(record.timestamp ?? now),
  };
}

function kafkaHeaders(record: OutgoingRecord): IHeaders | undefined {
  const { headers, rawHeaders } = record;
  if (rawHeaders === undefined) return headers === undefined ? undefined : { ...headers };
  // kafkajs sends an array value as one header per element, in order: repeated names survive.
  return { ...(rawHeaders as IHeaders), ...headers };
}

/**
 * kafkajs reports one base offset per partition of a send; the records of one partition are
 * appended as one batch in the order given, so record i of a partition is at base + i.
 */
export function assignOffsets(
  topic: string,
  records: readonly OutgoingRecord[],
  results: readonly KafkaRecordMetadata[],
): RecordMetadata[] {
  const baseOffsets = new Map<number, number>();
  for (const result of results) {
    if (result.topicName !== topic) continue;
    const base = result.baseOffset ?? result.offset;
    if (base !== undefined) baseOffsets.set(result.partition, Number(base));
  }
  const nextIndex = new Map<number, number>();
  return records.map((record) => {
    const base = baseOffsets.get(record.partition);
    if (base === undefined || !Number.isFinite(base) || base < 0) {
      throw new TransportError(
        `Kafka: the broker acknowledged the write to "${topic}" but reported no offset for partition ${record.partition}. The records were sent with acks=all; check the broker version (it must return base offsets).`,
        { retriable: false },
      );
    }
    const index = nextIndex.get(record.partition) ?? 0;
    nextIndex.set(record.partition, index + 1);
    return { topic, partition: record.partition, offset: base + index };
  });
}

/** The records of several entries as one sendBatch: one topic's records in the entries' order. */
export function toTopicMessages(entries: readonly TopicRecords[], now: number): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, records } of entries) {
    let messages = byTopic.get(topic);
    if (messages === undefined) byTopic.set(topic, (messages = []));
    for (const record of records) messages.push(toKafkaMessage(record, now));
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * assignOffsets for a sendBatch of several entries (see toTopicMessages): each topic's records
 * are numbered across the entries, then handed back one array per entry.
 */
export function assignEntryOffsets(
  entries: readonly TopicRecords[],
  results: readonly KafkaRecordMetadata[],
): RecordMetadata[][] {
  const byTopic = new Map<string, OutgoingRecord[]>();
  for (const { topic, records } of entries) {
    const all = byTopic.get(topic);
    if (all === undefined) byTopic.set(topic, [...records]);
    else all.push(...records);
  }
  const offsets = new Map<string, RecordMetadata[]>();
  for (const [topic, records] of byTopic)
    offsets.set(topic, assignOffsets(topic, records, results));
  const taken = new Map<string, number>();
  return entries.map(({ topic, records }) => {
    const start = taken.get(topic) ?? 0;
    taken.set(topic, start + records.length);
    return (offsets.get(topic) ?? []).slice(start, start + records.length);
  });
}

function invalid(problem: string): TransportError {
  return new TransportError(`Kafka: cannot produce: ${problem}. Nothing was sent.`, {
    retriable: false,
  });
}
