import { parseBrokers } from './kafka-env';

/**
 * Where the secured tier finds its broker: KAFKA_SECURED_BROKERS (a SASL_PLAINTEXT listener
 * started by `KAFKA_SECURITY=sasl scripts/kafka/kafka.sh start`), the admin password
 * (KAFKA_SECURED_ADMIN_PASSWORD, default the script's) and the users it was started with
 * (KAFKA_SECURED_USERS, "name:password,..."). npm run test:all sets all three.
 */
export function securedBrokers(): string[] {
  return parseBrokers(process.env.KAFKA_SECURED_BROKERS);
}

export function adminLogin(): { mechanism: 'plain'; username: string; password: string } {
  return {
    mechanism: 'plain',
    username: 'admin',
    password: process.env.KAFKA_SECURED_ADMIN_PASSWORD ?? 'admin-secret',
  };
}

/** The password of a user the broker was started with; fails naming the variable if absent. */
export function userPassword(name: string): string {
  for (const entry of (process.env.KAFKA_SECURED_USERS ?? '').split(',')) {
    const [user, password] = entry.split(':');
    if (user === name && password !== undefined) return password;
  }
  throw new Error(
    `KAFKA_SECURED_USERS has no user "${name}": start the secured broker with KAFKA_SASL_USERS including ${name}:<password> and pass the same list as KAFKA_SECURED_USERS (npm run test:all does).`,
  );
}

/**
 * The SASL_SSL listener of the secured broker (`KAFKA_TLS=1`): KAFKA_SECURED_TLS_BROKERS, and
 * KAFKA_SECURED_CA, the CA file that signed its certificate. npm run test:all sets both.
 */
export function securedTls(): { brokers: string[]; ca: string } {
  const brokers = process.env.KAFKA_SECURED_TLS_BROKERS;
  const ca = process.env.KAFKA_SECURED_CA;
  if (brokers === undefined || brokers.trim() === '' || ca === undefined || ca === '') {
    throw new Error(
      'KAFKA_SECURED_TLS_BROKERS and KAFKA_SECURED_CA are not set: start the secured broker with KAFKA_TLS=1 (its SASL_SSL listener is on KAFKA_TLS_PORT, the CA in <state dir>/tls/ca.pem) and set both (npm run test:all does).',
    );
  }
  return { brokers: parseBrokers(brokers), ca };
}
