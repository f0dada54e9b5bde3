import type { CompatibilityLevel } from '../../../model/topics/compatibility-level';
import type { TopicSchema } from '../topic-schema';
import { avroReaderIssues } from './avro-compatibility';
import { jsonReaderIssues } from './json-schema-compatibility';

export interface SchemaVersion {
  readonly version: number;
  readonly schema: TopicSchema;
}

/**
 * What keeps `candidate` from joining a subject's `versions` (oldest first) under `level`, each
 * message saying which direction failed and naming the field; empty when it may join.
 * BACKWARD: the new schema reads old data. FORWARD: old schemas read new data. FULL: both.
 * Plain levels compare with the latest version, *_TRANSITIVE ones with every version.
 */
export function compatibilityProblems(
  level: CompatibilityLevel,
  candidate: TopicSchema,
  versions: readonly SchemaVersion[],
): string[] {
  if (level === 'NONE' || versions.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  for (const old of [...against].reverse()) {
    if (backward) {
      const label = `new schema reading version ${old.version} data`;
      problems.push(...readerIssues(candidate, old.schema).map((issue) => `${label}: ${issue}`));
    }
    if (forward) {
      const label = `version ${old.version} schema reading new data`;
      problems.push(...readerIssues(old.schema, candidate).map((issue) => `${label}: ${issue}`));
    }
  }
  return problems;
}

/** Why `reader` cannot read everything written with `writer`. */
export function readerIssues(reader: TopicSchema, writer: TopicSchema): string[] {
  if (reader.type === 'AVRO' && writer.type === 'AVRO') {
    return avroReaderIssues(reader.schema, writer.schema);
  }
  if (reader.type === 'JSON' && writer.type === 'JSON') {
    return jsonReaderIssues(reader.schema, writer.schema);
  }
  return [`the schema type changed from ${writer.type} to ${reader.type}`];
}
