import { ConfluentSchemaRegistryClient } from './confluent-schema-registry-client';
import type { ConfluentSchemaRegistryOptions } from './registry-options-spec';
import type { SchemaRegistry } from './schema-registry';

/** What an app accepts as `schemaRegistry`: a URL (with auth, tls), or any SchemaRegistry (e.g. in memory). */
export type SchemaRegistryOption = ConfluentSchemaRegistryOptions | SchemaRegistry;

/**
 * The registry an app uses. The app's options reader (app-options-spec.ts) has already checked
 * the option's shape, naming the option and the fix, so this only tells the two kinds apart.
 */
export function resolveSchemaRegistry(
  option: SchemaRegistryOption | undefined,
): SchemaRegistry | undefined {
  if (option === undefined) return undefined;
  return 'url' in option ? new ConfluentSchemaRegistryClient(option) : option;
}
