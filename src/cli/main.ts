#!/usr/bin/env node
import 'reflect-metadata';

import { processIo } from './cli-io';
import { packageVersion } from './package-version';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), { io: processIo, env: process.env, version: packageVersion() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
