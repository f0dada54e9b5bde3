/**
 * 'streamwise/kafka': the Kafka transport, in an entry of its own so that an app, or a test on
 * the in-memory broker, loads kafkajs only when it runs on Kafka. Its options types and the
 * defaults it fills in are public: they are what a user tunes.
 */
export type {
  KafkaClientLogLevel,
  KafkaConsumerTuning,
  KafkaOauthBearerLogin,
  KafkaPasswordLogin,
  KafkaProducerTuning,
  KafkaRetryOptions,
  KafkaSaslOptions,
  KafkaSslOptions,
  KafkaTransportOptions,
  RedeliveryBackoffOptions,
} from './transport/kafka/kafka-config';
export { KAFKA_DEFAULTS } from './transport/kafka/kafka-config';
export { KafkaTransport } from './transport/kafka/kafka-transport';
export type { KafkaCompression } from './transport/kafka-compression';
