import type { StreamwiseApp } from '../app/streamwise-app';
import { describeService } from '../decorators/describe-service';
import { QueryServer } from '../http/query-server';
import type { Logger } from '../logging/logger';
import type { ServiceClass } from '../runtime/service-class';
import type { InjectRequest, InjectResponse } from './http-injection';

/**
 * The app's @Query routes and health probes on a QueryServer that never listens: requests go
 * through fastify.inject, so they meet the same routing, body parsing and error mapping as over
 * HTTP. Key-routed queries are answered here, not forwarded: TestBed's app holds every partition.
 */
export class InProcessHttp {
  readonly #server: QueryServer;

  constructor(app: StreamwiseApp, services: readonly ServiceClass[], logger: Logger) {
    this.#server = new QueryServer({ logger });
    for (const type of services) {
      const description = describeService(type);
      if (description.queries.length > 0)
        this.#server.mount(description.name, app.service(type), description.queries);
    }
    this.#server.mountHealth(app.readiness);
  }

  async inject(request: InjectRequest | string): Promise<InjectResponse> {
    const { method = 'GET', url, headers = {}, payload } = parseRequest(request);
    const json = payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== 'string';
    const response = await this.#server.inject({
      method,
      url,
      headers: json ? { 'content-type': 'application/json', ...headers } : headers,
      payload: json ? JSON.stringify(payload) : payload,
    });
    const body = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      json: <T>() => JSON.parse(body) as T,
    };
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }
}

/** `'GET /v1/orders/o-1'` is short for `{ method: 'GET', url: '/v1/orders/o-1' }`. */
function parseRequest(request: InjectRequest | string): InjectRequest {
  if (typeof request !== 'string') return request;
  const [method, url] = request.trim().split(/\s+/, 2);
  if (url === undefined) return { url: method };
  return { method: method.toUpperCase() as InjectRequest['method'], url };
}
