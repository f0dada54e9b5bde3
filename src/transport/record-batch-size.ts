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
  records.forEach((record, index) => {
    const body =
      1 + // attributes
      varintBytes((record.timestamp ?? base) - base) +
      varintBytes(index) +
      bytesField(record.key) +
      bytesField(record.value) +
      headersBytes(record.headers, record.rawHeaders);
    total += varintBytes(body) + body;
  });
  return total;
}

function headersBytes(
  headers: Readonly<Record<string, string>> | undefined,
  raw: RawHeaders | undefined,
): number {
  let count = 0;
  let size = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    count++;
    size += bytesField(Buffer.from(name)) + bytesField(Buffer.from(value));
  }
  if (raw === undefined) return varintBytes(count) + size;
  for (const [name, value] of Object.entries(raw)) {
    if (headers?.[name] !== undefined) continue; // sent as the text value
    for (const bytes of Buffer.isBuffer(value) ? [value] : value) {
      count++;
      size += bytesField(Buffer.from(name)) + bytesField(bytes);
    }
  }
  return varintBytes(count) + size;
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
