import type { MessageToProduce, ProduceResult, RecordsBatch } from '@platformatic/kafka';

import { TransportError } from '../../errors/transport-error';
import type { FetchedMessage } from '../fetched-batch';
import type { TopicRecords } from '../kafka/kafka-records';
import type { OutgoingRecord, RecordMetadata } from '../transport';

/** Record batch attribute bits: written in a transaction; a transaction marker (no record). */
const IS_TRANSACTIONAL = 0b1_0000;
const IS_CONTROL = 0b10_0000;
/** A marker's type, in its control record's key (after the version): 0 ends an aborted one. */
const ABORT_MARKER = 0;

/** The largest offset a number holds exactly. */
const MAX_SAFE_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

/** What a read_committed fetch lists per partition: where a transaction it aborted began. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/**
 * A record as @platformatic/kafka sends it: the explicit partition (its own default partitioner
 * is not Java's), raw header bytes first, then the text headers. Headers go as a Map keyed by
 * Buffers: two keys with the same bytes are two entries, so repeated names survive.
 */
export function toPlatformaticMessage(
  topic: string,
  record: OutgoingRecord,
  now: number,
): MessageToProduce {
  const headers = new Map<Buffer, Buffer>();
  const text = record.headers;
  const raw = record.rawHeaders;
  if (raw !== undefined) {
    for (const name in raw) {
      if (text !== undefined && name in text) continue;
      const values = raw[name];
      for (const value of Buffer.isBuffer(values) ? [values] : values) {
        headers.set(Buffer.from(name), value);
      }
    }
  }
  if (text !== undefined) {
    for (const name in text) headers.set(headerName(name), headerValue(name, text[name]));
  }
  const message: MessageToProduce = {
    topic,
    partition: record.partition,
    timestamp: BigInt(record.timestamp ?? now),
    headers,
  };
  // The client writes an absent key or value as null (no bytes), which Kafka keeps apart from
  // an empty one; a null value is the tombstone of a compacted topic.
  if (record.key !== null) message.key = record.key;
  if (record.value !== null) message.value = record.value;
  return message;
}

/** The bytes of streamwise's own header names, made once: every output record carries them. */
const HEADER_NAMES = new Map<string, Buffer>();
const MAX_CACHED_NAMES = 64;

function headerName(name: string): Buffer {
  let bytes = HEADER_NAMES.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(name);
    if (HEADER_NAMES.size < MAX_CACHED_NAMES) HEADER_NAMES.set(name, bytes);
  }
  return bytes;
}

/**
 * Per header name, the last value and its bytes: a value that repeats from one record to the next
 * (the type, schema version and producer of the four-header envelope) has its bytes made once per
 * run of equal values instead of once per record. The client only reads them.
 */
const LAST_VALUES = new Map<string, { text: string; bytes: Buffer }>();

function headerValue(name: string, text: string): Buffer {
  const last = LAST_VALUES.get(name);
  if (last === undefined) {
    const bytes = Buffer.from(text);
    if (LAST_VALUES.size < MAX_CACHED_NAMES) LAST_VALUES.set(name, { text, bytes });
    return bytes;
  }
  if (last.text !== text) {
    // Changed in place, not replaced: the one-header envelope's value changes with every record.
    last.text = text;
    last.bytes = Buffer.from(text);
  }
  return last.bytes;
}

/**
 * One array for the whole send: a batch's outputs come as one entry per publish, and an array per
 * entry (flatMap over map) was one more allocation per record.
 */
export function toPlatformaticMessages(
  entries: readonly TopicRecords[],
  now: number,
): MessageToProduce[] {
  const messages: MessageToProduce[] = [];
  for (const { topic, records } of entries) {
    for (const record of records) messages.push(toPlatformaticMessage(topic, record, now));
  }
  return messages;
}

/**
 * The client reports one base offset per partition written; the records of one partition are
 * appended in the order given, so the i-th of a partition (across the entries) is at base + i.
 */
export function assignEntryOffsets(
  entries: readonly TopicRecords[],
  result: ProduceResult,
): RecordMetadata[][] {
  const bases = new Map<string, number>();
  for (const { topic, partition, offset } of result.offsets ?? []) {
    bases.set(`${topic}\u0000${partition}`, Number(offset));
  }
  const next = new Map<string, number>();
  return entries.map(({ topic, records }) =>
    records.map((record) => {
      const key = `${topic}\u0000${record.partition}`;
      const base = bases.get(key);
      if (base === undefined || base < 0) {
        throw new TransportError(
          `Kafka: the broker acknowledged the write to "${topic}" but reported no offset for partition ${record.partition}. The records were sent with acks=all; check the broker version (it must return base offsets).`,
          { retriable: false },
        );
      }
      const index = next.get(key) ?? 0;
      next.set(key, index + 1);
      return { topic, partition: record.partition, offset: base + index };
    }),
  );
}

/**
 * The records of one partition's fetched batches at and after `from`, as the record path reads
 * them. Transaction markers are left out (they still move the position, see `lastOffset`), and
 * so are the batches of the `aborted` transactions the fetch listed.
 */
export function toFetchedMessages(
  batches: readonly RecordsBatch[],
  from: bigint,
  aborted: readonly AbortedTransaction[] = [],
): FetchedMessage[] {
  const messages: FetchedMessage[] = [];
  for (const batch of committedBatches(batches, aborted)) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    if (last < from) continue;
    // Numbers, not strings, where they are exact: the record path reads them as numbers.
    const exact = last <= MAX_SAFE_OFFSET;
    const base = Number(batch.firstOffset);
    const start = Number(from);
    const firstTimestamp = Number(batch.firstTimestamp);
    for (const record of batch.records) {
      let offset: number | string;
      if (exact) {
        offset = base + record.offsetDelta;
        if (offset < start) continue;
      } else {
        const exactOffset = batch.firstOffset + BigInt(record.offsetDelta);
        if (exactOffset < from) continue;
        offset = exactOffset.toString();
      }
      messages.push({
        offset,
        key: record.key,
        value: record.value,
        headers: fetchedHeaders(record.headers),
        timestamp: firstTimestamp + Number(record.timestampDelta),
      });
    }
  }
  return messages;
}

/**
 * The data batches a read_committed reader may see, as Java's consumer picks them: a producer is
 * aborting from the first offset of each aborted transaction listed until its abort marker, and
 * its transactional batches in between go. @platformatic/kafka filters too, but keeps one range
 * per producer and fetch, so of several aborted transactions of one producer in one fetch (an
 * exactly-once instance's one producer aborting a transaction per partition) it lets all but
 * the last through.
 */
function committedBatches(
  batches: readonly RecordsBatch[],
  aborted: readonly AbortedTransaction[],
): RecordsBatch[] {
  const starts = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const aborting = new Set<bigint>();
  const kept: RecordsBatch[] = [];
  let next = 0;
  for (const batch of batches) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    for (let start = starts[next]; start !== undefined && start.firstOffset <= last;) {
      aborting.add(start.producerId);
      start = starts[++next];
    }
    if ((batch.attributes & IS_CONTROL) !== 0) {
      if (markerType(batch) === ABORT_MARKER) aborting.delete(batch.producerId);
      continue;
    }
    if ((batch.attributes & IS_TRANSACTIONAL) !== 0 && aborting.has(batch.producerId)) continue;
    kept.push(batch);
  }
  return kept;
}

function markerType(batch: RecordsBatch): number | undefined {
  const key = batch.records[0]?.key;
  return key !== undefined && key !== null && key.length >= 4 ? key.readInt16BE(2) : undefined;
}

/** The last offset the batches cover (a marker or a compacted-away record included). */
export function lastFetchedOffset(batches: readonly RecordsBatch[]): bigint | undefined {
  const last = batches[batches.length - 1];
  return last === undefined ? undefined : last.firstOffset + BigInt(last.lastOffsetDelta);
}

/** What a record without headers carries: one shared, frozen object instead of one each. */
const NO_HEADERS: Readonly<Record<string, Buffer | Buffer[]>> = Object.freeze({});

function fetchedHeaders(
  headers: readonly (readonly [Buffer | null, Buffer | null])[],
): Readonly<Record<string, Buffer | Buffer[]>> {
  if (headers.length === 0) return NO_HEADERS;
  const result: Record<string, Buffer | Buffer[]> = {};
  for (const [rawName, value] of headers) {
    const name = rawName?.toString('utf8') ?? '';
    const bytes = value ?? Buffer.alloc(0);
    const existing = result[name];
    if (existing === undefined) result[name] = bytes;
    else if (Array.isArray(existing)) existing.push(bytes);
    else result[name] = [existing, bytes];
  }
  return result;
}
