import type { Transport } from 'streamwise';
import { memoryTransport, StreamwiseApp } from 'streamwise';
import { PlatformaticKafkaTransport } from 'streamwise/platformatic-kafka';

import { services } from './services';

/**
 * Runs every service of src/services.ts in this process: on Kafka when KAFKA_BROKERS is set
 * (e.g. 127.0.0.1:9092; through @platformatic/kafka, or KafkaTransport from 'streamwise/kafka' for
 * kafkajs), otherwise on an in-memory broker whose records vanish when it stops.
 * Stops gracefully on SIGTERM and Ctrl-C.
 */
async function main(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  const transport: Transport =
    brokers === undefined || brokers === ''
      ? memoryTransport()
      : new PlatformaticKafkaTransport({ brokers: brokers.split(',') });
  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  const app = StreamwiseApp.create({
    services,
    transport,
    handleSignals: true,
    http: { port: Number(process.env.PORT ?? 3000) },
    ...(registryUrl === undefined || registryUrl === '' ? {} : { schemaRegistry: { url: registryUrl } }),
  });
  await app.start();
  const where = brokers ? `Kafka at ${brokers}` : 'the in-memory broker (set KAFKA_BROKERS for Kafka)';
  console.log(`${services.length} service(s) running on ${where}; HTTP at ${app.httpUrl}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
