import { ConfigurationError } from '../errors/configuration-error';
import type { QueryMetadata } from '../model/service/query-metadata';
import type { QueryRouting } from './query-routing';

/** One @Query route as mounted: who answers it and how. */
export interface MountedQuery {
  readonly service: string;
  readonly instance: object;
  readonly method: (...args: unknown[]) => unknown;
  readonly metadata: QueryMetadata;
  readonly routing: QueryRouting | undefined;
}

/**
 * A service's @Query methods bound to its instance, checked before anything is registered so a
 * bad mount leaves the server untouched.
 */
export function mountedQueries(
  serviceName: string,
  instance: object,
  queries: readonly QueryMetadata[],
  options: {
    readonly routing: Readonly<Record<string, QueryRouting>>;
    readonly hasDirectory: boolean;
  },
): MountedQuery[] {
  const { routing } = options;
  for (const name of Object.keys(routing)) {
    if (!queries.some((q) => q.method === name)) {
      throw new ConfigurationError(
        `routing for ${serviceName} names "${name}", which is not one of its @Query methods (${queries.map((q) => q.method).join(', ') || 'none'}).`,
      );
    }
  }
  if (Object.keys(routing).length > 0 && !options.hasDirectory) {
    throw new ConfigurationError(
      `${serviceName} has key-routed queries, so the QueryServer needs an InstanceDirectory: pass directory to new QueryServer({ ... }).`,
    );
  }
  return queries.map((metadata): MountedQuery => {
    const method: unknown = Reflect.get(instance, metadata.method);
    if (typeof method !== 'function') {
      throw new ConfigurationError(
        `${serviceName}.${metadata.method} is declared with @Query but is not a method of the instance passed to mount().`,
      );
    }
    return {
      service: serviceName,
      instance,
      method: method as (...args: unknown[]) => unknown,
      metadata,
      routing: Object.hasOwn(routing, metadata.method) ? routing[metadata.method] : undefined,
    };
  });
}
