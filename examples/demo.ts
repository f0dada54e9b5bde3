import 'reflect-metadata';

import { connect } from 'node:net';

import { cliSecurity } from '../src/cli/client-properties';
import { runOrders } from './orders/run-orders';
import { runOrdersOnKafka } from './orders/run-orders-kafka';
import { runQuickstart } from './quickstart/run-quickstart';

const HELP = `Usage: npm run demo [-- --kafka | --quickstart | --metrics | --trace | --help]

(default)     Runs the orders system (examples/orders) on the embedded in-memory
              broker: posts the demo orders over HTTP and prints each order's journey, e.g.
              o-3: CREATED -> … FRAUD:FAIL -> FAILED => FAILED, then the emails sent and
              the read model's orders table (a replica in PGlite: PostgreSQL in the process).
--kafka       The same on a real broker ($KAFKA_BROKERS, comma-separated, or 127.0.0.1:9092)
              with two instances of the orders service: orders are asked of both in turn, so
              some GETs are forwarded to the instance holding the order's partition. Order ids
              and customers are new every run. Start a local broker with \`npm run kafka:start\`.
              The orders table is in the server at DATABASE_URL (or PGHOST, PGPORT, PGUSER,
              PGPASSWORD, PGDATABASE), else in PGlite.
              A secured broker: KAFKA_COMMAND_CONFIG=<client.properties> (bootstrap.servers,
              security.protocol, sasl.mechanism, sasl.jaas.config, as for the CLI; every
              service logs in as that user, so it needs every service's ACLs, or be an admin).
--metrics     The default run with metrics: { prometheus: true }, ending with a table per
              service from the app's GET /metrics: records handled, retried, dead-lettered,
              published.
--trace       The default run with an OpenTelemetry SDK registered (spans kept in memory) and
              consumer spans as children of the publishes, ending with each order's trace: one
              per POST, through every service the order reached. Combines with --metrics.
--quickstart  Runs the quickstart example (examples/quickstart) on the in-memory broker and
              prints every record that flows: topic[partition]@offset, the event id, the value.`;

function kafkaBrokers(configured: readonly string[] | undefined): string[] {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return fromEnv.split(',').map((b) => b.trim());
  return configured === undefined ? ['127.0.0.1:9092'] : [...configured];
}

/** True when something accepts a TCP connection at host:port within 1.5 s. */
function answers(address: string): Promise<boolean> {
  const index = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({
      host: address.slice(0, index),
      port: Number(address.slice(index + 1)),
    });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const print = (line: string) => console.log(line);
  const known = ['--help', '-h', '--kafka', '--quickstart', '--metrics', '--trace'];
  const unknown = argv.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}.\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  if (argv.includes('--kafka') && argv.includes('--quickstart')) {
    console.error('Choose one of --kafka and --quickstart.');
    process.exitCode = 2;
    return;
  }
  const extras = argv.filter((a) => a === '--metrics' || a === '--trace');
  if (extras.length > 0 && (argv.includes('--kafka') || argv.includes('--quickstart'))) {
    console.error(
      `${extras.join(' and ')} go with the default run only (the orders system in memory).`,
    );
    process.exitCode = 2;
    return;
  }
  if (argv.includes('--quickstart')) return runQuickstart(print);
  if (argv.includes('--kafka')) {
    // The CLI's client config: $KAFKA_COMMAND_CONFIG and the KAFKA_SASL_* variables.
    const { brokers: configured, ...security } = cliSecurity(undefined, process.env);
    const brokers = kafkaBrokers(configured);
    const reachable = await Promise.all(brokers.map(answers));
    if (!reachable.includes(true)) {
      console.error(
        `No Kafka broker answers at ${brokers.join(', ')}.\n` +
          'Start one with `npm run kafka:start` (or point KAFKA_BROKERS at yours), then run ' +
          '`npm run demo -- --kafka` again.',
      );
      process.exitCode = 1;
      return;
    }
    return runOrdersOnKafka(print, { brokers, security });
  }
  return runOrders(print, { metrics: argv.includes('--metrics'), trace: argv.includes('--trace') });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
