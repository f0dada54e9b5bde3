import { createConnection } from 'node:net';

import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { waitForGroupCoordinators } from './group-coordinators';
import { parseBrokers } from './kafka-env';
import { postgresUrl } from './postgres-env';
import { schemaRegistryUrl } from './registry-env';

/** What a broker tier needs before its first test runs. */
export interface TierNeeds {
  readonly tier: string;
  /** A schema registry at SCHEMA_REGISTRY_URL. */
  readonly registry: boolean;
  /**
   * Free ports for the broker that test/faults/broker-restart starts and restarts itself, and for
   * the three-node cluster of test/faults/node-failover.
   */
  readonly faultBroker: boolean;
  /** PostgreSQL at STREAMWISE_PG_URL must answer (the replica tests on the server). */
  readonly postgres?: boolean;
}

/** Default client port of the broker-restart fault test's own broker (it also uses port + 1). */
export const DEFAULT_FAULT_KAFKA_PORT = '19092';

/** Default client port of node 1 of the node-failover test's cluster (it uses port to port + 5). */
export const DEFAULT_CLUSTER_KAFKA_PORT = '19122';

/** Thrown by a broker tier's global setup: the tier cannot run, so the whole run fails. */
export class TierUnavailableError extends Error {
  constructor(tier: string, problem: string, remedy: string) {
    super(`the ${tier} tier cannot run: ${problem}\n${remedy}`);
    this.name = 'TierUnavailableError';
  }
}

const REMEDY =
  '`npm run test:all` starts a broker and a schema registry of its own for these tiers; to use running ones, set KAFKA_BROKERS (and SCHEMA_REGISTRY_URL for the integration tier). `npm test` runs the tiers that need neither.';

async function kafkaAnswers(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'streamwise-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3 },
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function registryAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(5_000) });
    return response.ok && Array.isArray(await response.json());
  } catch {
    return false;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(1_500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function announce(text: string): void {
  process.stdout.write(`[streamwise] ${text}\n`);
}

function fail(error: TierUnavailableError): never {
  const bar = '#'.repeat(78);
  process.stderr.write(
    `\n${bar}\n# [streamwise] ${error.message.replace(/\n/g, '\n# ')}\n${bar}\n`,
  );
  throw error;
}

async function requireKafka(tier: string): Promise<void> {
  const value = process.env.KAFKA_BROKERS;
  if (value === undefined || value.trim() === '') {
    fail(new TierUnavailableError(tier, 'KAFKA_BROKERS is not set.', REMEDY));
  }
  const brokers = parseBrokers(value);
  if (!(await kafkaAnswers(brokers))) {
    fail(
      new TierUnavailableError(tier, `no Kafka broker answers at ${brokers.join(',')}.`, REMEDY),
    );
  }
  // On a brand-new broker the first consumer group can fail to find its coordinator; waiting
  // for all of them here keeps the first test that joins a group from depending on that race.
  await waitForGroupCoordinators(brokers).catch((error: unknown) =>
    fail(new TierUnavailableError(tier, String(error), REMEDY)),
  );
  announce(`${tier}: Kafka at ${brokers.join(',')}`);
}

async function requireRegistry(tier: string): Promise<void> {
  const value = process.env.SCHEMA_REGISTRY_URL;
  if (value === undefined || value.trim() === '') {
    fail(new TierUnavailableError(tier, 'SCHEMA_REGISTRY_URL is not set.', REMEDY));
  }
  const url = schemaRegistryUrl();
  if (!(await registryAnswers(url))) {
    fail(new TierUnavailableError(tier, `no schema registry answers at ${url}.`, REMEDY));
  }
  announce(`${tier}: schema registry at ${url}`);
}

async function requireFaultBrokerPorts(tier: string): Promise<void> {
  process.env.STREAMWISE_FAULT_KAFKA_PORT ??= DEFAULT_FAULT_KAFKA_PORT;
  process.env.STREAMWISE_CLUSTER_KAFKA_PORT ??= DEFAULT_CLUSTER_KAFKA_PORT;
  await requireFreePorts(tier, {
    variable: 'STREAMWISE_FAULT_KAFKA_PORT',
    what: 'the broker-restart test starts a broker of its own',
    count: 2,
    picks: 'KAFKA_PORT + 2',
    leftOver:
      'KAFKA_STATE_DIR=.kafka/fault-broker KAFKA_PORT=<port> bash scripts/kafka/kafka.sh stop --clean',
  });
  await requireFreePorts(tier, {
    variable: 'STREAMWISE_CLUSTER_KAFKA_PORT',
    what: 'the node-failover test starts a three-node cluster of its own',
    count: 6,
    picks: 'KAFKA_PORT + 30',
    leftOver:
      'KAFKA_CLUSTER_DIR=.kafka/fault-cluster KAFKA_CLUSTER_PORT=<port> bash scripts/kafka/kafka-cluster.sh stop --clean',
  });
}

/** The `count` ports from the one in `variable` on must be free for a test's own brokers. */
async function requireFreePorts(
  tier: string,
  ports: { variable: string; what: string; count: number; picks: string; leftOver: string },
): Promise<void> {
  const first = Number(process.env[ports.variable]);
  const range = `ports ${first} to ${first + ports.count - 1}`;
  for (let candidate = first; candidate < first + ports.count; candidate++) {
    if (await portInUse(candidate)) {
      fail(
        new TierUnavailableError(
          tier,
          `port ${candidate} is in use, but ${ports.what} on ${range}.`,
          `Set ${ports.variable} to a port from which ${ports.count} ports are free (npm run test:all picks ${ports.picks}), or stop what listens there (one left by an interrupted run stops with \`${ports.leftOver}\`).`,
        ),
      );
    }
  }
  announce(`${tier}: ${ports.what} on ${range}`);
}

const POSTGRES_REMEDY =
  '`npm run test:all` starts one of its own; by hand, `PG_PORT=<port> npm run postgres:start` and point STREAMWISE_PG_URL at the URL it prints.';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The replica tests need PostgreSQL. `npm run test:all` always starts one; a tier run by hand
 * without STREAMWISE_PG_URL, or pointed at a server that does not answer, fails like a missing
 * broker: a tier either runs all its tests or fails, and never quietly skips some.
 */
async function requirePostgres(tier: string): Promise<void> {
  const url = postgresUrl();
  if (url === undefined) {
    fail(new TierUnavailableError(tier, 'STREAMWISE_PG_URL is not set.', POSTGRES_REMEDY));
  }
  const shown = url.replace(/:[^:@/]*@/, ':***@');
  if (!(await postgresAnswers(url))) {
    fail(
      new TierUnavailableError(
        tier,
        `no PostgreSQL server answers at STREAMWISE_PG_URL=${shown}.`,
        POSTGRES_REMEDY,
      ),
    );
  }
  announce(`${tier}: PostgreSQL at ${shown}`);
}

/**
 * The global setup of a tier that needs a real broker: fails the whole run, loudly and with what
 * to do, when the broker (or registry) is not configured or does not answer, so a broker tier
 * either runs or fails and is never quietly skipped.
 */
export async function brokerTierSetup(needs: TierNeeds): Promise<void> {
  process.stdout.write('\n');
  await requireKafka(needs.tier);
  if (needs.registry) await requireRegistry(needs.tier);
  if (needs.faultBroker) await requireFaultBrokerPorts(needs.tier);
  if (needs.postgres === true) await requirePostgres(needs.tier);
}
