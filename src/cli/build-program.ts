import { Command as Commander } from 'commander';

import type { CliIo } from './cli-io';
import type { Command } from './command';
import { registerCommand, type RunCommand } from './register-command';

/** Help is wrapped at a fixed width so docs/cli.md and tests do not depend on the terminal. */
export const HELP_WIDTH = 100;

const GROUPS: Readonly<Record<string, string>> = {
  topics: 'Inspect, peek at and create topics.',
  groups: 'Inspect consumer groups: members, assignments, committed offsets and lag.',
  new: 'Scaffold streamwise code from templates.',
  replicas: 'Rebuild @Replicate tables in PostgreSQL and drop their old versions.',
};

const EXIT_CODES = [
  '',
  'Exit codes:',
  '  0  success',
  '  1  the command failed (the broker refused, a topic or group does not exist, ...)',
  '  2  usage error: unknown command or option, missing or invalid argument',
  '',
  'Run "streamwise <command> --help" or "streamwise help <command>" for a command\'s options and',
  'examples.',
].join('\n');

/**
 * The whole command line as one commander program. Built again for every run: commander keeps
 * parsed values on its command objects.
 */
export function buildProgram(
  commands: readonly Command[],
  options: { io: CliIo; version: string; run: RunCommand },
): Commander {
  const { io } = options;
  const program = new Commander('streamwise')
    .description('Stream management for streamwise services on Kafka.')
    .version(options.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option(
      '-b, --brokers <host:port,...>',
      'Kafka bootstrap brokers (default: bootstrap.servers of the command config, $KAFKA_BROKERS or 127.0.0.1:9092)',
    )
    .option(
      '--command-config <file>',
      "Kafka client properties: security.protocol, sasl.mechanism, sasl.jaas.config or sasl.username/sasl.password, ssl.ca.location (a private CA's PEM file) (default: $KAFKA_COMMAND_CONFIG); $KAFKA_SECURITY_PROTOCOL, $KAFKA_SASL_MECHANISM, $KAFKA_SASL_USERNAME and $KAFKA_SASL_PASSWORD override it",
    )
    .addHelpText('after', EXIT_CODES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  for (const command of commands) registerCommand(program, command, GROUPS, options.run);
  return program;
}
