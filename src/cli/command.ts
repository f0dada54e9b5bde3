import type { AclAdmin } from '../transport/acl-binding';
import type { KafkaGroupInspector } from '../transport/kafka/kafka-group-inspector';
import type { TopicAdmin } from '../transport/topic-admin';
import type { Transport } from '../transport/transport';
import type { CliIo } from './cli-io';

export interface CommandContext {
  readonly args: readonly string[];
  /** Options by their long name (`to-time`, `json`, `brokers`), the global ones included. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly io: CliIo;
  /** Connects lazily: commands that need no broker never open one. */
  readonly transport: () => Promise<Transport>;
  /** An admin client for ACLs, connected lazily with the same brokers and login. */
  readonly aclAdmin: () => Promise<AclAdmin>;
  /** Consumer groups as the coordinator sees them; opened lazily like the transport. */
  readonly groups: () => Promise<GroupInspector>;
  /** Topic configs and partition counts, read and changed; opened lazily like the transport. */
  readonly topicAdmin: () => Promise<TopicAdmin>;
}

export type GroupInspector = Pick<
  KafkaGroupInspector,
  'listGroups' | 'describeGroup' | 'deleteGroup' | 'close'
>;

/** An option as commander declares it: `--to <target>` takes a value, `--json` is a switch. */
export interface CommandOption {
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string;
}

/** A positional argument: `<group>` is required, `[topic]` optional, `<args...>` variadic. */
export interface CommandArgument {
  readonly name: string;
  readonly description: string;
}

/**
 * One CLI command. `name`, `usage`, `summary` and `run` are all a command needs: its options are
 * then read from `usage` (see register-command.ts). The optional fields give it commander's full
 * help: declared arguments and options, a longer description and examples.
 */
export interface Command {
  /** The words that select it: `replay`, `topics list`. */
  readonly name: string;
  readonly usage: string;
  /** One line, shown in the list of commands. */
  readonly summary: string;
  /** Shown under the summary in the command's own help (JSON shapes, what it changes). */
  readonly description?: string;
  readonly arguments?: readonly CommandArgument[];
  readonly options?: readonly CommandOption[];
  /** Complete command lines, shown under "Examples:" and in docs/cli.md. */
  readonly examples?: readonly string[];
  run(context: CommandContext): Promise<void>;
}
