import { CommanderError } from 'commander';

import { KafkaAclAdmin } from '../transport/kafka/kafka-acl-admin';
import { KafkaGroupInspector } from '../transport/kafka/kafka-group-inspector';
import { KafkaTopicAdmin } from '../transport/kafka/kafka-topic-admin';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { TopicAdmin } from '../transport/topic-admin';
import type { Transport } from '../transport/transport';
import { buildProgram } from './build-program';
import { CliUsageError } from './cli-error';
import type { CliIo } from './cli-io';
import { type ClientSecurity, cliSecurity } from './client-properties';
import type { Command, CommandContext, GroupInspector } from './command';
import { commands } from './commands';

export interface CliEnvironment {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** Replaceable so the command layer can be tested on the memory transport. */
  readonly connect?: (options: CliConnectOptions) => Transport;
  /** Replaceable like `connect`; the default opens a Kafka admin. */
  readonly inspectGroups?: (options: CliConnectOptions) => Promise<GroupInspector>;
  /** Replaceable so tests can register commands of their own. */
  readonly commands?: readonly Command[];
}

/** Where and how the CLI connects: brokers, and TLS and a login when the config asks for them. */
export interface CliConnectOptions extends Omit<ClientSecurity, 'brokers'> {
  readonly brokers: string[];
}

/** Exit codes, as `streamwise --help` documents them. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Runs one command line; returns the process exit code. */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number> {
  const { io } = environment;
  let transport: Transport | undefined;
  let aclAdmin: KafkaAclAdmin | undefined;
  let inspector: Promise<GroupInspector> | undefined;
  let topicAdmin: Promise<TopicAdmin> | undefined;
  const run = async (command: Command, args: readonly string[], flags: CommandContext['flags']) =>
    command.run({
      args,
      flags,
      io,
      transport: async () => {
        if (transport === undefined) {
          const options = connectOptions(flags, environment.env);
          // kafkajs, not the apps' default client: migrate and repartition resume an interrupted
          // copy by fencing its open transaction, which needs stable transactional ids.
          // PlatformaticKafkaTransport has them only with instanceId; without, the next run waits
          // for the killed copy's transaction to time out, or writes behind it (README, "Choosing
          // a Kafka client").
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
          const options = connectOptions(flags, environment.env);
          aclAdmin = new KafkaAclAdmin({ ...options, clientId: 'streamwise-cli' });
          await aclAdmin.connect();
        }
        return aclAdmin;
      },
      groups: () => {
        const options = connectOptions(flags, environment.env);
        inspector ??=
          environment.inspectGroups?.(options) ??
          KafkaGroupInspector.open({ ...options, clientId: 'streamwise-cli' });
        return inspector;
      },
      topicAdmin: () => {
        const options = connectOptions(flags, environment.env);
        topicAdmin ??= KafkaTopicAdmin.open({ ...options, clientId: 'streamwise-cli' });
        return topicAdmin;
      },
    });
  const program = buildProgram(environment.commands ?? commands, {
    io,
    version: environment.version,
    run,
  });
  try {
    await program.parseAsync(helpAsOption(argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io);
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof CliUsageError ? EXIT.usage : EXIT.failure;
  } finally {
    await transport?.disconnect();
    await aclAdmin?.disconnect();
    await (await inspector?.catch(() => undefined))?.close();
    await (await topicAdmin?.catch(() => undefined))?.close();
  }
}

/**
 * `streamwise help groups lag` as `streamwise groups lag --help`: commander's own help command
 * takes one word, and answers a group (`help groups`) as a usage error.
 */
function helpAsOption(argv: readonly string[]): string[] {
  return argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : [...argv];
}

/** commander has printed its message already; only the exit code is left to decide. */
function commanderExit(error: CommanderError, io: CliIo): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
    return EXIT.ok;
  if (error.code !== 'commander.help') io.err('Run streamwise --help for usage.');
  return EXIT.usage;
}

/** -b, else the config's bootstrap.servers, else $KAFKA_BROKERS, else the local broker. */
function connectOptions(
  flags: CommandContext['flags'],
  env: CliEnvironment['env'],
): CliConnectOptions {
  const config = typeof flags['command-config'] === 'string' ? flags['command-config'] : undefined;
  const { brokers: configured, ...security } = cliSecurity(config, env);
  const given = typeof flags.brokers === 'string' ? flags.brokers : undefined;
  const brokers = (given ?? configured?.join(',') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim());
  return { brokers, ...security };
}
