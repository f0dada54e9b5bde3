import { type Admin, Kafka, logLevel } from 'kafkajs';

import { kafkaBrokers } from './kafka-env';
import type { Teardown } from './teardown';

/**
 * A raw kafkajs client on the test broker, for what a test writes as a foreign client would
 * (topics with their own settings, plain or transactional records), and its admin, connected and
 * disconnected after the test.
 */
export async function connectedAdmin(
  teardown: Teardown,
  clientId: string,
): Promise<{ kafka: Kafka; admin: Admin }> {
  const kafka = new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = teardown.add('the admin', kafka.admin(), (a) => a.disconnect());
  await admin.connect();
  return { kafka, admin };
}
