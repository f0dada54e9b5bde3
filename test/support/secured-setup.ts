import { Kafka, logLevel } from 'kafkajs';

import { TierUnavailableError } from './global-setup';
import { parseBrokers } from './kafka-env';
import { adminLogin } from './secured-env';

const REMEDY =
  '`npm run test:all` starts a secured broker of its own (KAFKA_SECURITY=sasl scripts/kafka/kafka.sh start on KAFKA_PORT + 10); to use a running one (started with KAFKA_TLS=1), set KAFKA_SECURED_BROKERS, KAFKA_SECURED_USERS, KAFKA_SECURED_ADMIN_PASSWORD, KAFKA_SECURED_TLS_BROKERS and KAFKA_SECURED_CA.';

/** Jest globalSetup of the secured tier: a SASL broker that answers the admin login. */
export default async function securedSetup(): Promise<void> {
  const value = process.env.KAFKA_SECURED_BROKERS;
  if (value === undefined || value.trim() === '') {
    throw new TierUnavailableError('secured', 'KAFKA_SECURED_BROKERS is not set.', REMEDY);
  }
  const brokers = parseBrokers(value);
  const admin = new Kafka({
    clientId: 'streamwise-secured-probe',
    brokers,
    sasl: adminLogin(),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new TierUnavailableError(
      'secured',
      `no secured broker answers the admin login at ${brokers.join(',')}: ${String(error)}`,
      REMEDY,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  process.stdout.write(`[streamwise] secured: Kafka (SASL, ACLs) at ${brokers.join(',')}\n`);
}
