/**
 * Where integration tests find the schema registry: SCHEMA_REGISTRY_URL, or the local script's
 * default (scripts/registry/registry.sh runs Apicurio, whose Confluent API is under /apis/ccompat/v7).
 */
export function schemaRegistryUrl(): string {
  const fromEnv = process.env.SCHEMA_REGISTRY_URL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return `http://127.0.0.1:${process.env.REGISTRY_PORT ?? '8081'}/apis/ccompat/v7`;
}
