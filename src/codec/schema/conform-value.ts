import { SchemaValidationError } from '../../errors/schema-validation-error';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { ReadRecord } from '../read-record';
import { schemaProblems } from './schema-problems';
import type { TopicSchema } from './topic-schema';
import { topicSchemaOf } from './topic-schema';
import { upcastValue } from './upcast-value';

/**
 * The value a handler gets for a consumed record: validated, then upcast to the topic's version.
 *
 * Validation uses the schema of the record's own version where it is known: the schema its
 * registry id names, or the topic's schema when the record is at the topic's version. An older
 * record without a registry is checked only after upcasting, against the current schema, since old
 * local schemas are not kept. An upcast result is always checked against the current schema too:
 * upcasters are code, and handlers are promised values of the current version. A record newer than
 * the topic is checked against the schema its id names, else the current one.
 */
export function conformValue(topic: TopicDefinition, read: ReadRecord): unknown {
  const current = topicSchemaOf(topic);
  const own = read.writerSchema ?? (read.version === topic.version ? current : undefined);
  if (own !== undefined) check(topic, own, read.value, read.version, '');
  if (read.version < topic.version) {
    const upcast = upcastValue(topic, read.value, read.version);
    if (current !== undefined) {
      check(
        topic,
        current,
        upcast,
        topic.version,
        `after upcasting from version ${read.version}: `,
      );
    }
    return upcast;
  }
  if (own === undefined && current !== undefined) {
    check(topic, current, read.value, read.version, '');
  }
  return read.value;
}

function check(
  topic: TopicDefinition,
  schema: TopicSchema,
  value: unknown,
  version: number,
  prefix: string,
): void {
  const problems = schemaProblems(schema, value);
  if (problems.length > 0) {
    throw new SchemaValidationError(
      topic.name,
      version,
      problems.map((p) => `${prefix}${p}`),
      'consume',
    );
  }
}
