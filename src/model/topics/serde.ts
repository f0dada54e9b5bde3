/** Turns values into the bytes a record carries, and back. */
export interface Serde<T> {
  serialize(value: T): Buffer;
  deserialize(bytes: Buffer): T;
}
