import type { FetchedHeaders, FetchedMessage } from './fetched-batch';
import type { DeliveredRecord, RawHeaders, RecordHeaders } from './transport';

export function toDeliveredRecord(
  topic: string,
  partition: number,
  message: FetchedMessage,
): DeliveredRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    // The client has already parsed the header bytes into this object: handing it on copies nothing.
    rawHeaders: message.headers as RawHeaders | undefined,
    timestamp: Number(message.timestamp),
  };
}

/**
 * The headers of a record that has none: one shared, frozen object instead of one each (fewer
 * objects per record kept or delivered, and no handler can add a header for the next reader).
 */
export const NO_HEADERS: RecordHeaders = Object.freeze({});

/** Header values arrive as Buffers (arrays when a name repeats: the last one wins, as Kafka's lastHeader). */
export function decodeHeaders(headers: FetchedHeaders | undefined): RecordHeaders {
  let decoded: Record<string, string> | undefined;
  for (const name in headers) {
    const raw = headers[name];
    const value = isRepeated(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    decoded ??= {};
    decoded[name] = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  }
  return decoded ?? NO_HEADERS;
}

function isRepeated(raw: FetchedHeaders[string]): raw is readonly (Buffer | string)[] {
  return Array.isArray(raw);
}
