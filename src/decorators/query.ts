import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { HttpMethod, QueryMetadata, QueryOptions } from '../model/service/query-metadata';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { queryIdentity } from './metadata-identity';
import { MetadataKeys } from './metadata-keys';

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9_\-./:]*)$/;

/**
 * Exposes the decorated method over HTTP (principle 1: request/response only for queries and
 * commands at the owner, never through the broker), e.g. `@Query('GET /stock/:product')`.
 */
export function Query(route: string, options: QueryOptions = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    requireExperimentalDecorators('Query', target, propertyKey);
    const owner = className(target);
    const method = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('Query', owner, method, problem);
    };
    if (typeof target === 'function')
      fail('is on a static method; queries must be instance methods.');
    if (typeof descriptor.value !== 'function') fail('must decorate a method.');
    const match = typeof route === 'string' ? ROUTE.exec(route) : null;
    if (match === null) {
      fail(
        `route ${JSON.stringify(route)} must look like 'GET /orders/:id' (GET, POST, PUT, PATCH or DELETE, then a path).`,
      );
    }
    const [, httpMethod, path] = match as RegExpExecArray;
    const params = path
      .split('/')
      .filter((segment) => segment.startsWith(':'))
      .map((segment) => segment.slice(1));
    if (params.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)))
      fail(`route ${route} has an empty or invalid :param.`);
    if (new Set(params).size !== params.length) fail(`route ${route} repeats a :param.`);
    checkArity((descriptor.value as (...args: unknown[]) => unknown).length, params, route, fail);
    if (options.routeBy !== undefined && !params.includes(options.routeBy)) {
      fail(
        `routeBy "${options.routeBy}" is not one of the route's :params (${params.join(', ') || 'none'}).`,
      );
    }
    const existing = readOwnMetadataList<QueryMetadata>(MetadataKeys.QUERIES, target);
    const clash = existing.find(
      (q) => queryIdentity(q) === queryIdentity({ httpMethod: httpMethod as HttpMethod, path }),
    );
    if (clash !== undefined) {
      fail(`route ${route} is already taken by ${owner}.${clash.method}.`);
    }
    appendMetadata<QueryMetadata>(MetadataKeys.QUERIES, target, {
      method,
      httpMethod: httpMethod as HttpMethod,
      path,
      params,
      routeBy: options.routeBy,
    });
  };
}

/**
 * A query method gets the route's :params in order, then the request. A method that declares
 * more parameters than that has one that is always undefined: a route and a method that disagree,
 * which used to surface only as a failure at request time.
 */
function checkArity(
  declared: number,
  params: readonly string[],
  route: string,
  fail: (problem: string) => never,
): void {
  if (declared <= params.length + 1) return;
  fail(
    `declares ${declared} parameters, but route ${route} passes only ${params.length} :param(s) and then the request: declare (${[...params, 'request'].join(', ')}), in that order, or add the missing :params to the route.`,
  );
}
