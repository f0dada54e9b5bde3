import { compressionsAlgorithms } from '@platformatic/kafka';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

import { KAFKA_COMPRESSIONS } from '../kafka-compression';
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

  it('are what kafkajs finds for snappy and lz4 once registered', async () => {
    registerKafkajsCodecs();
    const registry = CompressionCodecs as Record<CompressionTypes, () => KafkajsCodec>;
    const lz4 = registry[CompressionTypes.LZ4]();
    expect(await lz4.decompress(await lz4.compress({ buffer: records }))).toEqual(records);
    const snappy = registry[CompressionTypes.Snappy]();
    expect(await snappy.decompress(await snappy.compress({ buffer: records }))).toEqual(records);
  });

  it("leave kafkajs its own loud refusal of zstd where Node's zlib lacks it (a codec failing to decompress kept its consumer retrying, logged at debug only)", async () => {
    registerKafkajsCodecs();
    const zstd = (CompressionCodecs as Record<CompressionTypes, () => KafkajsCodec>)[
      CompressionTypes.ZSTD
    ];
    if (KAFKA_COMPRESSIONS.includes('zstd')) {
      const codec = zstd();
      expect(await codec.decompress(await codec.compress({ buffer: records }))).toEqual(records);
    } else {
      expect(zstd).toThrow('ZSTD compression not implemented');
    }
  });
});
