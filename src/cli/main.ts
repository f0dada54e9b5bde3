#!/usr/bin/env node
import 'reflect-metadata';

import { processIo } from './cli-io';
import { packageVersion } from './package-version';
import { runCli } from './run-cli';

// `streamwise topics list | head` closes the pipe before the output ends: stop quietly and
// successfully, as Unix tools do, instead of crashing on the failed write.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

runCli(process.argv.slice(2), { io: processIo, env: process.env, version: packageVersion() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
