import type { CliIo } from './cli-io';
import type { CommandContext, CommandOption } from './command';

/** The switch every read command has; its output shape is part of the command's help. */
export const JSON_OPTION: CommandOption = {
  flags: '--json',
  description: 'print one JSON document (shape in the description above) instead of text',
};

export function wantsJson(flags: CommandContext['flags']): boolean {
  return flags.json === true;
}

/** Indented, so it reads in a terminal and pipes into jq alike. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
