/** An Avro type as written in a schema: a (named) type name, a union, or a complex type. */
export type AvroType =
  string | readonly AvroType[] | { readonly type: string; readonly [attribute: string]: unknown };

export type AvroField = {
  readonly name: string;
  readonly type: AvroType;
  /** A field with a default is optional: readers fill it in when the data lacks it. */
  readonly default?: unknown;
  readonly doc?: string;
  readonly aliases?: readonly string[];
};

/** The Avro record schema of a topic's values. */
export type AvroRecordSchema = {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly aliases?: readonly string[];
  readonly fields: readonly AvroField[];
};
