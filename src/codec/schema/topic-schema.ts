import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import type { JsonSchema, TopicDefinition } from '../../model/topics/topic-definition';

/** The kinds of schema streamwise validates and registers, named as the Confluent registry does. */
export type SchemaType = 'JSON' | 'AVRO';

/** A schema document together with its kind. */
export type TopicSchema =
  | { readonly type: 'JSON'; readonly schema: JsonSchema }
  | { readonly type: 'AVRO'; readonly schema: AvroRecordSchema };

/** The schema a topic declares for the values written now, if any. */
export function topicSchemaOf(topic: TopicDefinition): TopicSchema | undefined {
  if (topic.avro !== undefined) return { type: 'AVRO', schema: topic.avro };
  if (topic.schema !== undefined) return { type: 'JSON', schema: topic.schema };
  return undefined;
}

/** The registry subject of a topic's values (Confluent's TopicNameStrategy). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
