import { ConnectionPool } from '@platformatic/kafka';

import { platformaticClientOptions, type ResolvedPlatformaticConfig } from './platformatic-config';

/**
 * Connections of their own for one job of a client, made as the client's would be (timeouts,
 * TLS, login; a pool takes no bootstrap list). Kafka answers the requests of one connection in
 * order, so a request that may wait at the broker (a fetch, up to maxWaitTimeMs) gets its own:
 * nothing queues behind it, and closing them answers it at once.
 */
export function clientConnectionPool(
  config: ResolvedPlatformaticConfig,
  role: string,
): ConnectionPool {
  const options = platformaticClientOptions(config, role);
  return new ConnectionPool(options.clientId, {
    connectTimeout: options.connectTimeout,
    requestTimeout: options.requestTimeout,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
  });
}
