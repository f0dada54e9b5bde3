import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import type { Logger } from '../../logging/logger';
import type { ServiceDescription } from '../../model/service/service-description';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import { topicSchemaOf, valueSubject } from '../schema/topic-schema';
import type { TopicCodec } from '../topic-codec';

/**
 * Start-up registration: the writer of a topic registers its schema. For every topic a service in
 * the app owns and that has a schema, set the subject's compatibility level to the topic's, check
 * the schema against the registered versions, and register it; its id is what writes carry.
 * An incompatible change fails start-up with SchemaIncompatibleError naming the topic and the
 * field. Readers register nothing: they fetch schemas by the ids in the records.
 */
export async function registerOwnedSchemas(
  values: TopicCodec,
  services: readonly ServiceDescription[],
  logger: Logger,
): Promise<void> {
  const registry = values.registry;
  if (registry === undefined) return;
  const owned = new Map<string, TopicDefinition>();
  for (const service of services) for (const topic of service.owns) owned.set(topic.name, topic);
  for (const topic of owned.values()) {
    const schema = topicSchemaOf(topic);
    if (schema === undefined) continue;
    const subject = valueSubject(topic.name);
    await registry.setCompatibility(subject, topic.compatibility);
    const check = await registry.checkCompatibility(subject, schema.schema, schema.type);
    if (!check.compatible) {
      throw new SchemaIncompatibleError(subject, topic.compatibility, check.messages);
    }
    const id = await registry.register(subject, schema.schema, schema.type);
    values.useSchemaId(topic, id);
    logger.info('schema registered', { topic: topic.name, subject, id, version: topic.version });
  }
}
