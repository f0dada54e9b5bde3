/**
 * kafkajs 2.2.4 (frozen) reads and writes gzip only: a record batch another producer compressed
 * with snappy, lz4 or zstd (Java producers often do) makes its consumer crash at every fetch, so a
 * KafkaTransport subscription and the CLI's commands stop at that partition. kafkajs takes codecs
 * through its CompressionCodecs registry; these are @platformatic/kafka's (a dependency of
 * streamwise already), the same bytes PlatformaticKafkaTransport writes and reads. The module
 * loads on the first batch that needs it, so an app that never meets one never loads it.
 */
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

import { KAFKA_COMPRESSIONS } from '../kafka-compression';

/** The codecs kafkajs lacks, by the name @platformatic/kafka gives them. */
type MissingCodec = 'snappy' | 'lz4' | 'zstd';

interface Algorithm {
  compressSync(data: Buffer): Buffer;
  decompressSync(data: Buffer): Buffer;
}

/** What kafkajs calls: `compress` gets its record encoder, `decompress` a batch's records. */
export interface KafkajsCodec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let algorithms: Promise<Readonly<Record<MissingCodec, Algorithm>>> | undefined;

function load(): Promise<Readonly<Record<MissingCodec, Algorithm>>> {
  algorithms ??= import('@platformatic/kafka').then((client) => client.compressionsAlgorithms);
  return algorithms;
}

export function kafkajsCodec(name: MissingCodec): KafkajsCodec {
  return {
    compress: async (encoder) => (await load())[name].compressSync(encoder.buffer),
    decompress: async (buffer) => (await load())[name].decompressSync(buffer),
  };
}

/**
 * Gives kafkajs snappy, lz4 and, where Node's zlib has it, zstd; repeated calls are no-ops.
 * Without zstd in Node, kafkajs keeps its own refusal: its consumer then fails loudly at a zstd
 * batch ("ZSTD compression not implemented", logged at each re-join), where a codec that
 * rejected at decompression left it retrying, logged at debug only, until kafkajs' retries ran out.
 */
export function registerKafkajsCodecs(): void {
  const codecs = CompressionCodecs as Record<CompressionTypes, () => KafkajsCodec>;
  codecs[CompressionTypes.Snappy] = () => kafkajsCodec('snappy');
  codecs[CompressionTypes.LZ4] = () => kafkajsCodec('lz4');
  if (KAFKA_COMPRESSIONS.includes('zstd')) {
    codecs[CompressionTypes.ZSTD] = () => kafkajsCodec('zstd');
  }
}
