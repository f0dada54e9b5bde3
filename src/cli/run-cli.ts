import { parseArgs } from 'node:util';

import { StreamwiseError } from '../errors/streamwise-error';
import { KafkaAclAdmin } from '../transport/kafka/kafka-acl-admin';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { Transport } from '../transport/transport';
import { CliUsageError } from './cli-error';
import type { CliIo } from './cli-io';
import { type ClientSecurity, cliSecurity } from './client-properties';
import type { Command } from './command';
import { commands } from './commands';

export interface CliEnvironment {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Replaceable so the command layer can be tested on the memory transport. */
  readonly connect?: (options: CliConnectOptions) => Transport;
}

/** Where and how the CLI connects: brokers, and TLS and a login when the config asks for them. */
export interface CliConnectOptions extends Omit<ClientSecurity, 'brokers'> {
  readonly brokers: string[];
}

/** Runs one command line; returns the process exit code. */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number> {
  const { io } = environment;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err('Run streamwise --help for usage.');
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version === true) {
    io.out(environment.version);
    return 0;
  }
  const command = findCommand(positionals);
  if (values.help === true || command === undefined) {
    help(environment).forEach((line) => io.out(line));
    return command === undefined && positionals.length > 0 ? 2 : 0;
  }
  let transport: Transport | undefined;
  let aclAdmin: KafkaAclAdmin | undefined;
  try {
    await command.run({
      args: positionals.slice(command.name.split(' ').length),
      flags: values,
      io,
      transport: async () => {
        if (transport === undefined) {
          const options = connectOptions(values, environment.env);
          transport =
            environment.connect?.(options) ??
            new KafkaTransport({
              ...options,
              clientId: 'streamwise-cli',
              kafkaLogLevel: 'nothing',
            });
          await transport.connect();
        }
        return transport;
      },
      aclAdmin: async () => {
        if (aclAdmin === undefined) {
          const options = connectOptions(values, environment.env);
          aclAdmin = new KafkaAclAdmin({ ...options, clientId: 'streamwise-cli' });
          await aclAdmin.connect();
        }
        return aclAdmin;
      },
    });
    return 0;
  } catch (error) {
    io.err(
      error instanceof StreamwiseError || error instanceof Error
        ? `error: ${error.message}`
        : `error: ${String(error)}`,
    );
    return error instanceof CliUsageError ? 2 : 1;
  } finally {
    await transport?.disconnect();
    await aclAdmin?.disconnect();
  }
}

/** -b, else the config's bootstrap.servers, else $KAFKA_BROKERS, else the local broker. */
function connectOptions(
  values: { brokers?: string; 'command-config'?: string },
  env: CliEnvironment['env'],
): CliConnectOptions {
  const { brokers: configured, ...security } = cliSecurity(values['command-config'], env);
  const brokers = (values.brokers ?? configured?.join(',') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim());
  return { brokers, ...security };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      brokers: { type: 'string', short: 'b' },
      'command-config': { type: 'string' },
      acls: { type: 'boolean' },
      'principal-prefix': { type: 'string' },
      'principal-format': { type: 'string' },
      json: { type: 'boolean' },
      'idempotent-write': { type: 'boolean' },
      apply: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'to-beginning': { type: 'boolean' },
      'to-end': { type: 'boolean' },
      'to-time': { type: 'string' },
      'to-offsets': { type: 'string' },
      dir: { type: 'string' },
      package: { type: 'string' },
      'streamwise-spec': { type: 'string' },
    },
  });
}

function findCommand(positionals: readonly string[]): Command | undefined {
  return commands.find((c) => {
    const words = c.name.split(' ');
    return words.every((word, i) => positionals[i] === word);
  });
}

function help(environment: CliEnvironment): string[] {
  return [
    `streamwise ${environment.version} — stream management for streamwise services on Kafka`,
    '',
    'Usage:',
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'Options:',
    '  -b, --brokers <host:port,...>  Kafka bootstrap brokers (default: bootstrap.servers of the',
    '                                 command config, $KAFKA_BROKERS or 127.0.0.1:9092)',
    '  --command-config <file>        Kafka client properties: security.protocol, sasl.mechanism,',
    '                                 sasl.jaas.config or sasl.username/sasl.password (default:',
    '                                 $KAFKA_COMMAND_CONFIG); $KAFKA_SECURITY_PROTOCOL,',
    '                                 $KAFKA_SASL_MECHANISM, $KAFKA_SASL_USERNAME and',
    '                                 $KAFKA_SASL_PASSWORD override it',
    '  -h, --help                     show this help',
    '  -v, --version                  print the version',
  ];
}
