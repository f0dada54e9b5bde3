import { resolve } from 'node:path';

import { describeService } from '../decorators/describe-service';
import { readServiceMetadata } from '../decorators/read-service-metadata';
import type { ServiceDescription } from '../model/service/service-description';
import { CliUsageError } from './cli-error';

/** The @Service classes a module exports, described; a module that cannot load is a usage error. */
export async function loadServices(modulePath: string): Promise<ServiceDescription[]> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(resolve(modulePath))) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(
      `Cannot load ${modulePath}: ${reason}. Pass a JavaScript module, or run the CLI under a TypeScript loader (npx tsx).`,
    );
  }
  const seen = new Set<unknown>();
  const services: ServiceDescription[] = [];
  for (const value of Object.values(exported)) {
    if (typeof value !== 'function' || seen.has(value) || readServiceMetadata(value) === undefined)
      continue;
    seen.add(value);
    services.push(describeService(value as abstract new (...args: never[]) => object));
  }
  return services;
}
