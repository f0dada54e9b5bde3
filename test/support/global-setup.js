// Probes the broker and the schema registry once for the whole run. Tests that need them read
// STREAMWISE_KAFKA_AVAILABLE / STREAMWISE_REGISTRY_AVAILABLE; under STREAMWISE_REQUIRE_KAFKA=1 and
// STREAMWISE_REQUIRE_REGISTRY=1 (set by npm run test:all) one that does not answer fails the run.
const net = require('node:net');

function brokers() {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv && fromEnv.trim() !== '') return fromEnv.split(',').map((b) => b.trim());
  return [`127.0.0.1:${process.env.KAFKA_PORT || '9092'}`];
}

function reachable(address) {
  const index = address.lastIndexOf(':');
  const host = address.slice(0, index);
  const port = Number(address.slice(index + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function metadataAnswers(list) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'streamwise-probe',
    brokers: list,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function registryUrl() {
  return (
    process.env.SCHEMA_REGISTRY_URL ||
    `http://127.0.0.1:${process.env.REGISTRY_PORT || '8081'}/apis/ccompat/v7`
  );
}

async function registryAnswers(url) {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
    return response.ok && Array.isArray(await response.json());
  } catch {
    return false;
  }
}

async function probeRegistry() {
  const url = registryUrl();
  const available = await registryAnswers(url);
  process.env.STREAMWISE_REGISTRY_AVAILABLE = available ? '1' : '0';
  if (available) {
    process.stdout.write(`[streamwise] schema registry at ${url}: running the registry tests.\n`);
    return;
  }
  process.stdout.write(
    `[streamwise] NO SCHEMA REGISTRY at ${url}: the registry tests are SKIPPED (npm run registry:start, or set SCHEMA_REGISTRY_URL).\n`,
  );
  if (process.env.STREAMWISE_REQUIRE_REGISTRY === '1') {
    throw new Error(`STREAMWISE_REQUIRE_REGISTRY=1 but no schema registry answers at ${url}.`);
  }
}

async function probeKafka() {
  const list = brokers();
  const available = (await reachable(list[0])) && (await metadataAnswers(list));
  process.env.STREAMWISE_KAFKA_AVAILABLE = available ? '1' : '0';
  if (available) {
    process.stdout.write(
      `\n[streamwise] Kafka at ${list.join(',')}: running the Kafka half of the suite.\n`,
    );
    return;
  }
  const banner = [
    '',
    '#'.repeat(78),
    `# [streamwise] NO KAFKA BROKER at ${list.join(',')}: the Kafka half of the suite is SKIPPED.`,
    '# Start one with `npm run kafka:start` (or set KAFKA_BROKERS) to run it.',
    '#'.repeat(78),
    '',
  ].join('\n');
  process.stdout.write(`${banner}\n`);
  if (process.env.STREAMWISE_REQUIRE_KAFKA === '1') {
    throw new Error(`STREAMWISE_REQUIRE_KAFKA=1 but no Kafka broker answers at ${list.join(',')}.`);
  }
}

module.exports = async function globalSetup() {
  await probeKafka();
  await probeRegistry();
};
