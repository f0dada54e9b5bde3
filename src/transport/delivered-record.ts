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

/** Header values arrive as Buffers (arrays when a name repeats: the last one wins, as Kafka's lastHeader). */
export function decodeHeaders(headers: FetchedHeaders | undefined): RecordHeaders {
  const decoded: Record<string, string> = {};
  if (headers === undefined) return decoded;
  for (const name in headers) {
    const raw = headers[name];
    const value = isRepeated(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    decoded[name] = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  }
  return decoded;
}

function isRepeated(raw: FetchedHeaders[string]): raw is readonly (Buffer | string)[] {
  return Array.isArray(raw);
}
