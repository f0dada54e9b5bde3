import type { Transport } from '../src';
import { type KafkaRetryOptions, KafkaTransport } from '../src/kafka';
import { PlatformaticKafkaTransport } from '../src/platformatic-kafka';
import type { BenchContext } from './context';

/** Which Kafka client a streamwise scenario runs on. */
export type BenchClient = 'kafkajs' | 'platformatic';

/** The scenario id for `client`: kafkajs keeps the plain id, the second client adds a suffix. */
export function scenarioId(id: string, client: BenchClient): string {
  return client === 'kafkajs' ? id : `${id}-platformatic`;
}

/** The transport name a scenario label shows for `client`. */
export function transportName(client: BenchClient): string {
  return client === 'kafkajs' ? 'KafkaTransport' : 'PlatformaticKafkaTransport';
}

export function benchTransport(
  context: BenchContext,
  client: BenchClient,
  name: string,
  retry?: KafkaRetryOptions,
): Transport {
  const { brokers, groupProtocol } = context.config;
  const { logger } = context;
  return client === 'platformatic'
    ? new PlatformaticKafkaTransport({ brokers, clientId: name, logger, groupProtocol })
    : new KafkaTransport({ brokers, clientId: name, logger, retry });
}
