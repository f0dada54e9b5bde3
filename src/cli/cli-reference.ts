import { commands } from './commands';
import { runCli } from './run-cli';

/** Where the reference lives, relative to the repository root. */
export const CLI_REFERENCE_PATH = 'docs/cli.md';

/**
 * The CLI reference as Markdown: the help commander prints for the program and for every
 * command, wrapped at the fixed help width, so the page is the parser's own text and cannot
 * drift from it (a spec compares it with docs/cli.md).
 */
export async function cliReference(): Promise<string> {
  const sections = [
    '# The streamwise CLI',
    '',
    `Generated from the parser's help by \`npm run docs:cli\`; edit the commands, not this page.`,
    '',
    ...(await section('streamwise', [])),
  ];
  for (const command of commands) {
    sections.push(...(await section(`streamwise ${command.name}`, command.name.split(' '))));
  }
  return `${sections.join('\n').trimEnd()}\n`;
}

async function section(title: string, words: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  const code = await runCli([...words, '--help'], { io, env: {}, version: '0.0.0' });
  if (code !== 0) throw new Error(`"${title} --help" exited ${code}: ${lines.join('\n')}`);
  const text = lines.join('\n').replace(/[ \t]+$/gm, '');
  return [`## ${title}`, '', '```text', text, '```', ''];
}
