/**
 * Where integration tests find the schema registry: SCHEMA_REGISTRY_URL, and nothing else (for
 * the same reason as KAFKA_BROKERS in kafka-env.ts). scripts/registry/registry.sh runs Apicurio,
 * whose Confluent API is under /apis/ccompat/v7.
 */
export function schemaRegistryUrl(): string {
  const url = process.env.SCHEMA_REGISTRY_URL?.trim() ?? '';
  if (url === '') {
    throw new Error(
      'SCHEMA_REGISTRY_URL is not set: run `npm run test:all` (it starts a registry of its own), or point SCHEMA_REGISTRY_URL at a running one (e.g. http://127.0.0.1:8081/apis/ccompat/v7 after `npm run registry:start`).',
    );
  }
  return url;
}
