import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CLI_REFERENCE_PATH, cliReference } from './cli-reference';

// `npm run docs:cli`: rewrites docs/cli.md from the parser's help.
cliReference().then(
  (text) => {
    writeFileSync(join(__dirname, '../..', CLI_REFERENCE_PATH), text);
    process.stdout.write(`wrote ${CLI_REFERENCE_PATH}\n`);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
