import { Kafka, logLevel } from 'kafkajs';

/**
 * Resolves when a broker among `brokers` answers a metadata request; otherwise prints how to
 * start the benchmark's own broker and exits the process with status 1.
 */
export async function requireBroker(brokers: readonly string[]): Promise<void> {
  const problem = await probe(brokers);
  if (problem === undefined) return;
  process.stderr.write(
    [
      `bench: no Kafka broker answers at ${brokers.join(',') || '(none)'} (${problem}).`,
      '',
      'Start the benchmark broker (its own port and state, independent of the test broker):',
      '  KAFKA_PORT=29092 KAFKA_STATE_DIR=$PWD/.kafka/bench-broker bash scripts/kafka/kafka.sh start',
      'and stop it afterwards with:',
      '  KAFKA_PORT=29092 KAFKA_STATE_DIR=$PWD/.kafka/bench-broker bash scripts/kafka/kafka.sh stop --clean',
      'or point BENCH_BROKERS at another broker (host:port[,host:port]).',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

/** undefined when a broker answered, else what went wrong. */
async function probe(brokers: readonly string[]): Promise<string | undefined> {
  if (brokers.length === 0) return 'BENCH_BROKERS is empty';
  const admin = new Kafka({
    clientId: 'streamwise-bench-probe',
    brokers: [...brokers],
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 1 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? undefined : 'the cluster reports no brokers';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
