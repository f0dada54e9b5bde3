import type { Transport } from '../src';
import { type KafkaRetryOptions, KafkaTransport } from '../src/kafka';
import { type KafkaCompression, PlatformaticKafkaTransport } from '../src/platformatic-kafka';
import type { BenchContext } from './context';

/** Which Kafka client a streamwise scenario runs on. */
export type BenchClient = 'kafkajs' | 'platformatic';

/** The client the templates and examples use: its scenarios carry the plain ids. */
export const DEFAULT_CLIENT: BenchClient = 'platformatic';

/**
 * The scenario id for `client`: the default client keeps the plain id (the figure a user of the
 * defaults gets), the other adds its name. Runs before 2026-12-02 22:00 UTC, when the default was
 * kafkajs, used the plain ids for kafkajs and `-platformatic` for the second client.
 */
export function scenarioId(id: string, client: BenchClient): string {
  return client === DEFAULT_CLIENT ? id : `${id}-${client}`;
}

/** The transport name a scenario label shows for `client`. */
export function transportName(client: BenchClient): string {
  return client === 'kafkajs' ? 'KafkaTransport' : 'PlatformaticKafkaTransport';
}

/** Options a scenario sets beyond the defaults: kafkajs' retry timing, the producer's codec. */
export interface BenchTuning {
  readonly retry?: KafkaRetryOptions;
  readonly compression?: KafkaCompression;
}

export function benchTransport(
  context: BenchContext,
  client: BenchClient,
  name: string,
  { retry, compression = 'none' }: BenchTuning = {},
): Transport {
  const { brokers, groupProtocol } = context.config;
  const { logger } = context;
  if (client === 'platformatic') {
    return new PlatformaticKafkaTransport({
      brokers,
      clientId: name,
      logger,
      groupProtocol,
      producer: { compression },
    });
  }
  return new KafkaTransport({ brokers, clientId: name, logger, retry, producer: { compression } });
}
