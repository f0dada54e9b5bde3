/** The on-disk layout version of a persistent table; a different one is rebuilt from the log. */
export const TABLE_STORE_FORMAT = 1;

/** What a persistent table was built from; a store is only reused for the same source. */
export interface TableStoreHeader {
  readonly format: number;
  readonly topic: string;
  readonly partitions: number;
}

/** What a store says about its source: a header, none (new or half-written), or garbage. */
export type StoredHeader =
  | { readonly state: 'present'; readonly header: TableStoreHeader }
  | { readonly state: 'missing' }
  | { readonly state: 'corrupt'; readonly problem: string };

/** Checks a value read back from disk; anything but a well-formed current header is not trusted. */
export function readHeader(value: unknown): StoredHeader {
  if (value === undefined) return { state: 'missing' };
  if (typeof value !== 'object' || value === null) {
    return { state: 'corrupt', problem: 'the header is not an object' };
  }
  const { format, topic, partitions } = value as Record<string, unknown>;
  if (format !== TABLE_STORE_FORMAT) {
    return { state: 'corrupt', problem: `the header has format ${String(format)}` };
  }
  if (typeof topic !== 'string' || topic === '') {
    return { state: 'corrupt', problem: 'the header names no topic' };
  }
  if (typeof partitions !== 'number' || !Number.isSafeInteger(partitions) || partitions < 1) {
    return { state: 'corrupt', problem: 'the header has no partition count' };
  }
  return { state: 'present', header: { format, topic, partitions } };
}

/** What changed between the source a store was built from and the one it is opened for, if anything. */
export function headerChange(
  stored: TableStoreHeader,
  wanted: TableStoreHeader,
): string | undefined {
  if (stored.topic !== wanted.topic) {
    return `it was built from topic "${stored.topic}", not "${wanted.topic}"`;
  }
  if (stored.partitions !== wanted.partitions) {
    return `topic "${wanted.topic}" had ${stored.partitions} partitions when it was built and has ${wanted.partitions} now`;
  }
  return undefined;
}
