import type { BaseOptions, SASLOptions } from '@platformatic/kafka';

import { ConsoleLogger } from '../../logging/console-logger';
import type { Logger } from '../../logging/logger';
import { readOptions } from '../../options/read-options';
import type { KafkaSaslOptions, KafkaSslOptions } from '../kafka-security-options';
import type { PlatformaticKafkaTransportOptions } from './platformatic-options';
import {
  PLATFORMATIC_KAFKA_OPTIONS,
  type ReadPlatformaticOptions,
} from './platformatic-options-spec';

/** The options in the shape the transport uses them. */
export interface ResolvedPlatformaticConfig extends Omit<
  ReadPlatformaticOptions,
  'logger' | 'brokers'
> {
  readonly brokers: readonly string[];
  readonly logger: Logger;
}

/** Validates the options and fills in defaults; every problem names the option and the fix. */
export function resolvePlatformaticConfig(
  options: PlatformaticKafkaTransportOptions,
): ResolvedPlatformaticConfig {
  const read = readOptions(PLATFORMATIC_KAFKA_OPTIONS, options);
  return {
    ...read,
    brokers: read.brokers.map((broker) => broker.trim()),
    logger: (read.logger ?? new ConsoleLogger('warn')).child({
      component: 'platformatic-kafka-transport',
    }),
  };
}

/** What every client of the transport connects with: brokers, TLS, login, timeouts, retries. */
export function platformaticClientOptions(
  config: ResolvedPlatformaticConfig,
  role: string,
): BaseOptions {
  return {
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: [...config.brokers],
    connectTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    timeout: config.requestTimeoutMs,
    retries: config.retry.retries,
    retryDelay: config.retry.retryDelayMs,
    ...tls(config.ssl),
    ...(config.sasl === undefined ? {} : { sasl: sasl(config.sasl) }),
  };
}

function tls(ssl: KafkaSslOptions | undefined): Pick<BaseOptions, 'tls'> {
  if (ssl === undefined) return {};
  return { tls: ssl === true ? {} : ssl };
}

function sasl(login: KafkaSaslOptions): SASLOptions {
  if (login.mechanism === 'oauthbearer') {
    const provider = login.oauthBearerProvider;
    return { mechanism: 'OAUTHBEARER', token: async () => (await provider()).value };
  }
  const mechanism =
    login.mechanism === 'plain'
      ? 'PLAIN'
      : login.mechanism === 'scram-sha-256'
        ? 'SCRAM-SHA-256'
        : 'SCRAM-SHA-512';
  return { mechanism, username: login.username, password: login.password };
}

/** The principal the broker sees for a password login ("User:billing"), for error messages. */
export function platformaticPrincipal(config: ResolvedPlatformaticConfig): string | undefined {
  const login = config.sasl;
  return login === undefined || login.mechanism === 'oauthbearer'
    ? undefined
    : `User:${login.username}`;
}
