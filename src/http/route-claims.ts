import { queryIdentity } from '../decorators/metadata-identity';
import { ConfigurationError } from '../errors/configuration-error';
import type { QueryMetadata } from '../model/service/query-metadata';

/** The routes of one server and who registered each, to name both sides of a clash. */
export class RouteClaims {
  readonly #routes = new Map<string, string>();

  claim(route: Pick<QueryMetadata, 'httpMethod' | 'path'>, by: string): void {
    const identity = queryIdentity(route);
    const holder = this.#routes.get(identity);
    if (holder !== undefined) {
      throw new ConfigurationError(
        `${route.httpMethod} ${route.path} of ${by} clashes with a route of ${holder}: every route of an app must be distinct. Change one of the paths.`,
      );
    }
    this.#routes.set(identity, by);
  }
}
