/** Turns values into the bytes a record carries, and back. */
export interface Serde<T> {
  /**
   * A new Buffer per call, which the caller then owns: a publish holds it until its batch is
   * sent, so a serde that reused one output buffer would send its last value for every record.
   */
  serialize(value: T): Buffer;
  /** `bytes` may be a view into a larger fetched buffer: copy any part of it kept as is. */
  deserialize(bytes: Buffer): T;
}
