import { decodeWireFormat, encodeWireFormat } from './wire-format';

describe('the Confluent wire format', () => {
  it('is magic byte 0, the schema id as 4 bytes big-endian, then the payload', () => {
    const bytes = encodeWireFormat(0x01020304, Buffer.from('{}'));
    expect([...bytes]).toEqual([0, 1, 2, 3, 4, 0x7b, 0x7d]);
    expect(decodeWireFormat(bytes)).toEqual({ schemaId: 0x01020304, payload: Buffer.from('{}') });
  });

  it('keeps ids up to 2^32 - 1 and empty payloads', () => {
    const bytes = encodeWireFormat(4_294_967_295, Buffer.alloc(0));
    expect(decodeWireFormat(bytes)).toEqual({ schemaId: 4_294_967_295, payload: Buffer.alloc(0) });
  });

  it('refuses a wrong magic byte, saying the producer did not use the registry', () => {
    expect(() => decodeWireFormat(Buffer.from('{"id":1}'))).toThrow(
      "the first byte is 123, not the wire format's magic byte 0",
    );
  });

  it('refuses bytes too short to hold the header', () => {
    expect(() => decodeWireFormat(Buffer.from([0, 0, 1]))).toThrow('3 byte(s) are too short');
  });
});
