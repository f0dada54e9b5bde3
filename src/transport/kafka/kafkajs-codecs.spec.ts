import { compressionsAlgorithms } from '@platformatic/kafka';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

import { type KafkajsCodec, kafkajsCodec, registerKafkajsCodecs } from './kafkajs-codecs';

const records = Buffer.from('record bytes, '.repeat(64));

describe('kafkajs codecs', () => {
  it.each(['snappy', 'lz4'] as const)(
    '%s round-trips, and reads what @platformatic/kafka writes (the bytes PlatformaticKafkaTransport puts on the broker)',
    async (name) => {
      const codec = kafkajsCodec(name);
      const compressed = await codec.compress({ buffer: records });
      expect(compressed.length).toBeLessThan(records.length);
      expect(await codec.decompress(compressed)).toEqual(records);
      expect(await codec.decompress(compressionsAlgorithms[name].compressSync(records))).toEqual(
        records,
      );
    },
  );

  it('are what kafkajs finds for snappy, lz4 and zstd once registered', async () => {
    registerKafkajsCodecs();
    const registry = CompressionCodecs as Record<CompressionTypes, () => KafkajsCodec>;
    const lz4 = registry[CompressionTypes.LZ4]();
    expect(await lz4.decompress(await lz4.compress({ buffer: records }))).toEqual(records);
    expect(registry[CompressionTypes.Snappy]).not.toThrow();
    expect(registry[CompressionTypes.ZSTD]).not.toThrow();
  });
});
