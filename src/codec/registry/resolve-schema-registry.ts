import { ConfigurationError } from '../../errors/configuration-error';
import { ConfluentSchemaRegistryClient } from './confluent-schema-registry-client';
import type { ConfluentSchemaRegistryOptions } from './registry-options-spec';
import type { SchemaRegistry } from './schema-registry';

/** What an app accepts as `schemaRegistry`: a URL (with auth, tls), or any SchemaRegistry (e.g. in memory). */
export type SchemaRegistryOption = ConfluentSchemaRegistryOptions | SchemaRegistry;

export function resolveSchemaRegistry(
  option: SchemaRegistryOption | undefined,
): SchemaRegistry | undefined {
  if (option === undefined) return undefined;
  if (isSchemaRegistry(option)) return option;
  if (typeof (option as { url?: unknown }).url === 'string') {
    return new ConfluentSchemaRegistryClient(option);
  }
  throw new ConfigurationError(
    'schemaRegistry must be { url: "http://host:8081" } or a SchemaRegistry such as new InMemorySchemaRegistry().',
  );
}

function isSchemaRegistry(option: SchemaRegistryOption): option is SchemaRegistry {
  const candidate = option as Partial<Record<keyof SchemaRegistry, unknown>>;
  return (
    typeof candidate.register === 'function' &&
    typeof candidate.getSchema === 'function' &&
    typeof candidate.checkCompatibility === 'function' &&
    typeof candidate.setCompatibility === 'function' &&
    typeof candidate.latestVersion === 'function'
  );
}
