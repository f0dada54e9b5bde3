import { type Command as Commander } from 'commander';

import type { Command, CommandContext, CommandOption } from './command';

/** What a registered command needs from the run: its context, built from what commander parsed. */
export type RunCommand = (
  command: Command,
  args: readonly string[],
  flags: CommandContext['flags'],
) => Promise<void>;

/**
 * Adds one command under its group (`topics list` under `topics`). A command that declares no
 * options gets them from its usage line, so a command written as name/usage/summary/run only
 * registers unchanged: `--dir src/services` and `--to-time <ISO-8601>` take a value,
 * `--acls` and `--to-end |` are switches.
 */
export function registerCommand(
  program: Commander,
  command: Command,
  groups: Readonly<Record<string, string>>,
  run: RunCommand,
): void {
  const words = command.name.split(' ');
  let parent = program;
  for (const word of words.slice(0, -1)) {
    parent =
      parent.commands.find((c) => c.name() === word) ??
      parent.command(word).description(groups[word] ?? `${word} commands`);
  }
  const cli = parent.command(words.at(-1) ?? command.name).summary(command.summary);
  cli.description(
    command.description === undefined
      ? command.summary
      : `${command.summary}\n\n${command.description}`,
  );
  if (command.arguments === undefined) {
    cli.argument('[args...]').usage(command.usage.split(command.name).at(-1)?.trim() ?? '');
  } else {
    for (const argument of command.arguments) cli.argument(argument.name, argument.description);
  }
  for (const option of command.options ?? optionsFromUsage(command.usage)) {
    cli.option(option.flags, option.description, option.defaultValue);
  }
  if (command.examples !== undefined && command.examples.length > 0) {
    cli.addHelpText(
      'after',
      ['', 'Examples:', ...command.examples.map((example) => `  $ ${example}`)].join('\n'),
    );
  }
  cli.action(async (...received: unknown[]) => {
    const self = received.at(-1) as Commander;
    await run(command, self.args, kebabFlags(self.optsWithGlobals()));
  });
}

/** `--dir src/services` and `--to <x>` take a value; `--json`, `--acls]`, `--to-end |` do not. */
export function optionsFromUsage(usage: string): CommandOption[] {
  const options: CommandOption[] = [];
  const pattern = /(--[a-z][a-z0-9-]*)(?:\s+(<[^>]+>[^\s\]|)]*|[^\s\]|)<-][^\s\]|)]*))?/g;
  for (const [, flag, value] of usage.matchAll(pattern)) {
    if (options.some((o) => o.flags.startsWith(`${flag} `) || o.flags === flag)) continue;
    const placeholder = value === undefined ? '' : value.startsWith('<') ? value : '<value>';
    options.push({
      flags: placeholder === '' ? flag : `${flag} ${placeholder}`,
      description: value !== undefined && !value.startsWith('<') ? `default: ${value}` : '',
    });
  }
  return options;
}

/** commander keys options by camelCase attribute; commands read them by their long name. */
function kebabFlags(values: Record<string, unknown>): CommandContext['flags'] {
  const flags: Record<string, string | boolean | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'string' && typeof value !== 'boolean') continue;
    flags[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = value;
  }
  return flags;
}
