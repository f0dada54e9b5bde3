/** Confluent's wire format: magic byte 0, the schema id as 4 bytes big-endian, then the payload. */
export const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

export interface WireRecord {
  readonly schemaId: number;
  readonly payload: Buffer;
}

export function encodeWireFormat(schemaId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

/** Splits bytes in the wire format; throws an Error saying what is wrong with them otherwise. */
export function decodeWireFormat(bytes: Buffer): WireRecord {
  if (bytes.length < HEADER_LENGTH) {
    throw new Error(
      `${bytes.length} byte(s) are too short for the schema registry wire format (magic byte 0 and a 4-byte schema id)`,
    );
  }
  const magic = bytes.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new Error(
      `the first byte is ${magic}, not the wire format's magic byte 0: the producer did not write through the schema registry`,
    );
  }
  return { schemaId: bytes.readUInt32BE(1), payload: bytes.subarray(HEADER_LENGTH) };
}
