import { describeService } from '../decorators/describe-service';
import { readServiceMetadata } from '../decorators/read-service-metadata';
import type { ServiceDescription } from '../model/service/service-description';
import { loadModule } from './load-module';

/**
 * The @Service classes a module exports (JavaScript, or TypeScript through tsx), described; a
 * module that cannot load is a usage error.
 */
export async function loadServices(modulePath: string): Promise<ServiceDescription[]> {
  const exported = await loadModule(modulePath);
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
