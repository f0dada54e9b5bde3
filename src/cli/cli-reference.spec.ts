import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CLI_REFERENCE_PATH, cliReference } from './cli-reference';
import { commands } from './commands';

describe('docs/cli.md', () => {
  it('is the help the parser prints for the program and every command (npm run docs:cli)', async () => {
    const generated = await cliReference();
    for (const command of commands) expect(generated).toContain(`## streamwise ${command.name}\n`);
    const committed = readFileSync(join(__dirname, '../..', CLI_REFERENCE_PATH), 'utf8');
    // On a difference: run `npm run docs:cli` and commit docs/cli.md.
    expect(committed).toBe(generated);
  });
});
