import zlib from 'node:zlib';

import type { OptionSchema } from '../options/option-schema';

/** Kafka's record batch codecs (its compression.type). */
export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** The codecs this Node writes and reads: zstd only where its zlib has it (Node >= 22.15). */
export const KAFKA_COMPRESSIONS: readonly KafkaCompression[] = [
  'none',
  'gzip',
  'snappy',
  'lz4',
  ...(typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function'
    ? (['zstd'] as const)
    : []),
];

/** The `producer.compression` option of both Kafka transports. */
export const COMPRESSION_OPTION: OptionSchema = {
  type: 'string',
  enum: KAFKA_COMPRESSIONS,
  expect: `one of ${KAFKA_COMPRESSIONS.map((codec) => `"${codec}"`).join(', ')}${KAFKA_COMPRESSIONS.includes('zstd') ? '' : ' ("zstd" needs Node 22.15 or later)'}`,
  default: 'none',
};
