import type { CompatibilityLevel } from '../../model/topics/compatibility-level';
import type { SchemaType } from '../schema/topic-schema';

/** A schema document as the registry holds it: a JSON Schema or an Avro record schema. */
export type SchemaDocument = Readonly<Record<string, unknown>>;

/** A schema looked up by id, with where it was first registered. */
export interface RegisteredSchema {
  readonly schema: SchemaDocument;
  readonly type: SchemaType;
  /** The subject's version number, counted by the registry (not the topic's `version`). */
  readonly version: number;
  readonly subject: string;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** Why not, each naming the field; empty when compatible. */
  readonly messages: readonly string[];
}

/**
 * What streamwise needs of a Confluent-compatible schema registry. Subjects follow the topic name
 * strategy (`<topic>-value`); ids are global, and the same schema gets the same id everywhere.
 */
export interface SchemaRegistry {
  /** Registers `schema` under `subject` (or finds it there) and returns its id. */
  register(subject: string, schema: SchemaDocument, type: SchemaType): Promise<number>;
  getSchema(id: number): Promise<RegisteredSchema>;
  /** The subject's latest version number, or undefined when the subject has none. */
  latestVersion(subject: string): Promise<number | undefined>;
  /** Whether `schema` may be registered under `subject` by the subject's compatibility level. */
  checkCompatibility(
    subject: string,
    schema: SchemaDocument,
    type: SchemaType,
  ): Promise<CompatibilityResult>;
  setCompatibility(subject: string, level: CompatibilityLevel): Promise<void>;
}
