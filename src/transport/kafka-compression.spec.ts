import zlib from 'node:zlib';

import { COMPRESSION_OPTION, KAFKA_COMPRESSIONS } from './kafka-compression';

describe('KAFKA_COMPRESSIONS', () => {
  it("offers zstd exactly where Node's zlib has it, and says which Node when it does not", () => {
    const hasZstd = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
    expect(KAFKA_COMPRESSIONS).toEqual([
      'none',
      'gzip',
      'snappy',
      'lz4',
      ...(hasZstd ? ['zstd'] : []),
    ]);
    expect(COMPRESSION_OPTION.expect).toBe(
      hasZstd
        ? 'one of "none", "gzip", "snappy", "lz4", "zstd"'
        : 'one of "none", "gzip", "snappy", "lz4" ("zstd" needs Node 22.15 or later)',
    );
  });
});
