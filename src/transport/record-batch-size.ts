import type { OutgoingRecord, RawHeaders } from './transport';

/**
 * Kafka's default for max.message.bytes (the broker's message.max.bytes): 1 MiB plus the 12
 * bytes of a batch's log overhead. A topic config of that name overrides it.
 */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export const MAX_MESSAGE_BYTES_CONFIG = 'max.message.bytes';

/** The fixed header of a v2 record batch, log overhead included. */
const BATCH_HEADER_BYTES = 61;

/** The largest record batch a topic with these configs accepts. */
export function maxMessageBytes(config: Readonly<Record<string, string>> | undefined): number {
  const configured = Number(config?.[MAX_MESSAGE_BYTES_CONFIG]);
  return Number.isSafeInteger(configured) && configured > 0
    ? configured
    : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
}

/**
 * The size of the uncompressed v2 record batch these records make (kafkajs sends the records of
 * one partition in one batch): what the broker compares with max.message.bytes.
 */
export function recordBatchBytes(records: readonly OutgoingRecord[]): number {
  const base = records[0]?.timestamp ?? 0;
  let total = BATCH_HEADER_BYTES;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const body =
      1 + // attributes
      varintBytes((record.timestamp ?? base) - base) +
      varintBytes(index) +
      bytesField(record.key) +
      bytesField(record.value) +
      headersBytes(record.headers, record.rawHeaders);
    total += varintBytes(body) + body;
  }
  return total;
}

/**
 * A bound no smaller than recordBatchBytes(records), without encoding a string: a UTF-16 code
 * unit is at most 3 UTF-8 bytes, and a record's varints and attributes take at most 36 bytes
 * plus 10 per header. Cheap enough to run on every produce, so the exact size is needed only
 * when a batch comes near a limit.
 */
export function recordBatchBytesAtMost(records: readonly OutgoingRecord[]): number {
  let total = BATCH_HEADER_BYTES;
  for (const record of records) {
    total += 36 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
    const headers = record.headers;
    if (headers !== undefined) {
      for (const name in headers) total += 10 + 3 * (name.length + headers[name].length);
    }
    const raw = record.rawHeaders;
    if (raw === undefined) continue;
    for (const [name, value] of Object.entries(raw)) {
      for (const bytes of Buffer.isBuffer(value) ? [value] : value) {
        total += 10 + 3 * name.length + bytes.length;
      }
    }
  }
  return total;
}

function headersBytes(
  headers: Readonly<Record<string, string>> | undefined,
  raw: RawHeaders | undefined,
): number {
  let count = 0;
  let size = 0;
  if (headers !== undefined) {
    for (const name in headers) {
      count++;
      size += stringField(name) + stringField(headers[name]);
    }
  }
  if (raw === undefined) return varintBytes(count) + size;
  for (const [name, value] of Object.entries(raw)) {
    if (headers?.[name] !== undefined) continue; // sent as the text value
    for (const bytes of Buffer.isBuffer(value) ? [value] : value) {
      count++;
      size += stringField(name) + bytesField(bytes);
    }
  }
  return varintBytes(count) + size;
}

/** A header name or value as Kafka writes it: its UTF-8 length, then its bytes. */
function stringField(text: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  return varintBytes(bytes) + bytes;
}

function bytesField(bytes: Buffer | null): number {
  return bytes === null ? varintBytes(-1) : varintBytes(bytes.length) + bytes.length;
}

/** Bytes of a zig-zag varint (Kafka's encoding of lengths and deltas in a record). */
function varintBytes(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (zigzag >= 128) {
    zigzag = Math.floor(zigzag / 128);
    bytes++;
  }
  return bytes;
}
