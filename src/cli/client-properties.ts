import { readFileSync } from 'node:fs';

import type { KafkaPasswordLogin } from '../transport/kafka-security-options';
import { CliUsageError } from './cli-error';
import { parseProperties } from './java-properties';

/** What a Kafka client config gives a Kafka transport: brokers, TLS and a password login. */
export interface ClientSecurity {
  readonly brokers?: readonly string[];
  /** true: the system's CAs; { ca }: the PEM certificates of ssl.ca.location (a private CA). */
  readonly ssl?: true | { readonly ca: string[] };
  readonly sasl?: KafkaPasswordLogin;
}

/** Environment variables the CLI reads, each standing for the client property beside it. */
export const SECURITY_ENV: Readonly<Record<string, string>> = {
  KAFKA_SECURITY_PROTOCOL: 'security.protocol',
  KAFKA_SASL_MECHANISM: 'sasl.mechanism',
  KAFKA_SASL_USERNAME: 'sasl.username',
  KAFKA_SASL_PASSWORD: 'sasl.password',
};

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: Readonly<Record<string, KafkaPasswordLogin['mechanism']>> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

/**
 * The client settings of `--command-config <file>` (or $KAFKA_COMMAND_CONFIG), with the
 * KAFKA_SECURITY_PROTOCOL / KAFKA_SASL_* variables over it. Messages never show a value.
 */
export function cliSecurity(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ClientSecurity {
  const path = file ?? env.KAFKA_COMMAND_CONFIG;
  const properties = path === undefined ? new Map<string, string>() : readProperties(path);
  for (const [name, key] of Object.entries(SECURITY_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') properties.set(key, value);
  }
  return clientSecurity(properties);
}

function readProperties(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(`cannot read --command-config ${path}: ${reason}`);
  }
  return parseProperties(text);
}

/** Kafka client properties to a Kafka transport's options; unrelated properties are ignored. */
export function clientSecurity(properties: ReadonlyMap<string, string>): ClientSecurity {
  const protocol = (properties.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!PROTOCOLS.includes(protocol)) {
    throw new CliUsageError(`security.protocol must be one of ${PROTOCOLS.join(', ')}.`);
  }
  const ca = caLocation(properties);
  if (ca !== undefined && !protocol.endsWith('SSL')) {
    throw new CliUsageError(
      `a CA file is given but security.protocol is ${protocol}: set security.protocol=SSL or SASL_SSL to connect over TLS.`,
    );
  }
  const bootstrap = properties.get('bootstrap.servers');
  return {
    ...(bootstrap === undefined || bootstrap.trim() === ''
      ? {}
      : { brokers: bootstrap.split(',').map((broker) => broker.trim()) }),
    ...(protocol.endsWith('SSL') ? { ssl: ca === undefined ? true : { ca: readCa(ca) } } : {}),
    ...(protocol.startsWith('SASL_') ? { sasl: saslLogin(properties) } : {}),
  };
}

/**
 * The PEM file of a private CA: ssl.ca.location as librdkafka and kcat write it, or a Java
 * truststore of type PEM. Java key stores (JKS, PKCS12) cannot be read without Java.
 */
function caLocation(properties: ReadonlyMap<string, string>): string | undefined {
  const pemTruststore = properties.get('ssl.truststore.type')?.toUpperCase() === 'PEM';
  const store = [...properties.keys()].find(
    (key) =>
      /^ssl\.(trust|key)store\./.test(key) &&
      !(pemTruststore && (key === 'ssl.truststore.location' || key === 'ssl.truststore.type')),
  );
  if (store !== undefined) {
    throw new CliUsageError(
      `${store} is not supported (Java key stores): for a private CA give its PEM file as ssl.ca.location=/path/ca.pem (or ssl.truststore.type=PEM with ssl.truststore.location); without either the CLI trusts the system's CAs, which is what managed Kafka (Confluent Cloud, MSK, Aiven with a public CA) needs.`,
    );
  }
  const location =
    properties.get('ssl.ca.location') ??
    (pemTruststore ? properties.get('ssl.truststore.location') : undefined);
  return location === undefined || location.trim() === '' ? undefined : location.trim();
}

function readCa(path: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(`cannot read the CA file ${path}: ${reason}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CliUsageError(
      `the CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER or JKS file to PEM first.`,
    );
  }
  return [pem];
}

function saslLogin(properties: ReadonlyMap<string, string>): KafkaPasswordLogin {
  const given = (properties.get('sasl.mechanism') ?? 'PLAIN').toUpperCase();
  const mechanism = MECHANISMS[given];
  if (mechanism === undefined) {
    throw new CliUsageError(
      `sasl.mechanism ${given} is not supported by the CLI; use one of ${Object.keys(MECHANISMS).join(', ')}.`,
    );
  }
  const jaas = properties.get('sasl.jaas.config');
  const username = properties.get('sasl.username') ?? jaasOption(jaas, 'username');
  const password = properties.get('sasl.password') ?? jaasOption(jaas, 'password');
  if (username === undefined || username === '' || password === undefined || password === '') {
    throw new CliUsageError(
      `a SASL login needs a username and a password: sasl.jaas.config=org.apache.kafka.common.security.${mechanism === 'plain' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule'} required username="..." password="..."; or sasl.username and sasl.password (or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD).`,
    );
  }
  return { mechanism, username, password };
}

/** `name="value"` (or an unquoted value) from a JAAS line such as `...LoginModule required a="b";`. */
function jaasOption(jaas: string | undefined, name: string): string | undefined {
  if (jaas === undefined) return undefined;
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;]+))`).exec(
    jaas,
  );
  if (match === null) return undefined;
  return match[1] === undefined ? match[2] : match[1].replace(/\\(.)/g, '$1');
}
