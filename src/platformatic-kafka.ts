/**
 * 'streamwise/platformatic-kafka': the default Kafka transport, on @platformatic/kafka (it needs
 * Node >= 20.19.4 and ships only ES modules, which Node 20.19+ require()s). In an entry of its own
 * so that apps on the memory transport or on KafkaTransport never load it. Exactly-once services
 * run with EOS v2: one transactional producer per subscription instance, its offset commits
 * fenced by the consumer group's generation.
 */
export type { KafkaCompression } from './transport/kafka-compression';
export type {
  PlatformaticGroupProtocol,
  PlatformaticKafkaTransportOptions,
  PlatformaticRetryOptions,
} from './transport/platformatic/platformatic-options';
export { PLATFORMATIC_KAFKA_DEFAULTS } from './transport/platformatic/platformatic-options-spec';
export { PlatformaticKafkaTransport } from './transport/platformatic/platformatic-transport';
