/**
 * 'streamwise/platformatic-kafka': the Kafka transport on @platformatic/kafka, an optional peer
 * dependency (npm install @platformatic/kafka@~1.35; it needs Node >= 20.19.4 and ships only ES
 * modules, which Node 20.19+ require()s). In an entry of its own so that apps on KafkaTransport
 * never load it. At-least-once only for now; exactly-once services stay on KafkaTransport.
 */
export type {
  PlatformaticGroupProtocol,
  PlatformaticKafkaTransportOptions,
  PlatformaticRetryOptions,
} from './transport/platformatic/platformatic-options';
export { PLATFORMATIC_KAFKA_DEFAULTS } from './transport/platformatic/platformatic-options-spec';
export { PlatformaticKafkaTransport } from './transport/platformatic/platformatic-transport';
