import { parseArgs } from 'node:util';

import { StreamwiseError } from '../errors/streamwise-error';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { Transport } from '../transport/transport';
import { CliUsageError } from './cli-error';
import type { CliIo } from './cli-io';
import type { Command } from './command';
import { commands } from './commands';

export interface CliEnvironment {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Replaceable so the command layer can be tested on the memory transport. */
  readonly connect?: (brokers: string[]) => Transport;
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
  const brokers = (values.brokers ?? environment.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim());
  let transport: Transport | undefined;
  try {
    await command.run({
      args: positionals.slice(command.name.split(' ').length),
      flags: values,
      io,
      transport: async () => {
        if (transport === undefined) {
          transport =
            environment.connect?.(brokers) ??
            new KafkaTransport({ brokers, clientId: 'streamwise-cli', kafkaLogLevel: 'nothing' });
          await transport.connect();
        }
        return transport;
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
  }
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
      acls: { type: 'boolean' },
      'principal-prefix': { type: 'string' },
      'to-beginning': { type: 'boolean' },
      'to-end': { type: 'boolean' },
      'to-time': { type: 'string' },
      'to-offsets': { type: 'string' },
      dir: { type: 'string' },
      package: { type: 'string' },
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
    '  -b, --brokers <host:port,...>  Kafka bootstrap brokers (default: $KAFKA_BROKERS or 127.0.0.1:9092)',
    '  -h, --help                     show this help',
    '  -v, --version                  print the version',
  ];
}
