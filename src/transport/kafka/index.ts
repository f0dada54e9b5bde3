export { CO_PARTITION_PROTOCOL } from './co-partition-assigner';
export { transactionalIdFor } from './exactly-once-processor';
export type {
  KafkaClientLogLevel,
  KafkaConsumerTuning,
  KafkaRetryOptions,
  KafkaTransportOptions,
  RedeliveryBackoffOptions,
} from './kafka-config';
export { KafkaTransport } from './kafka-transport';
