import type { AclAdmin } from '../transport/acl-binding';
import type { Transport } from '../transport/transport';
import type { CliIo } from './cli-io';

export interface CommandContext {
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly io: CliIo;
  /** Connects lazily: commands that need no broker never open one. */
  readonly transport: () => Promise<Transport>;
  /** An admin client for ACLs, connected lazily with the same brokers and login. */
  readonly aclAdmin: () => Promise<AclAdmin>;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(context: CommandContext): Promise<void>;
}
