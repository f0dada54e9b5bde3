/**
 * kafkajs 2.2.4 (frozen) reads and writes gzip only: a record batch another producer compressed
 * with snappy, lz4 or zstd (Java producers often do) makes its consumer crash at every fetch, so a
 * KafkaTransport subscription and the CLI's commands stop at that partition. kafkajs takes codecs
 * through its CompressionCodecs registry; these are @platformatic/kafka's (a dependency of
 * streamwise already), the same bytes PlatformaticKafkaTransport writes and reads. The module
 * loads on the first batch that needs it, so an app that never meets one never loads it.
 */
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

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

/** Gives kafkajs snappy, lz4 and zstd (zstd where Node's zlib has it); repeated calls are no-ops. */
export function registerKafkajsCodecs(): void {
  const codecs = CompressionCodecs as Record<CompressionTypes, () => KafkajsCodec>;
  codecs[CompressionTypes.Snappy] = () => kafkajsCodec('snappy');
  codecs[CompressionTypes.LZ4] = () => kafkajsCodec('lz4');
  codecs[CompressionTypes.ZSTD] = () => kafkajsCodec('zstd');
}
