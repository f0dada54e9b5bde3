import type { ServiceDescription } from './service-description';

/** True when a @Query of the service routes by key, so its instances claim the partitions they hold. */
export function hasRoutedQueries(description: ServiceDescription): boolean {
  return description.queries.some((query) => query.routeBy !== undefined);
}

/**
 * True when an app of these services routes queries by key: HTTP is on and some service has a
 * key-routed query. Its instances then share partition claims (topic and registry).
 */
export function routesQueries(
  descriptions: readonly ServiceDescription[],
  httpOn: boolean,
): boolean {
  return httpOn && descriptions.some(hasRoutedQueries);
}
