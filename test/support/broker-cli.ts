import { runCli } from '../../src/cli/run-cli';
import { kafkaBrokers } from './kafka-env';

/** What the CLI printed in the last run: stdout and stderr lines. */
export interface CliOutput {
  readonly out: string[];
  readonly err: string[];
}

/**
 * The CLI run in this process against the test broker (`-b` appended), its output kept for the
 * assertions and cleared at each run.
 */
export function brokerCli(): {
  readonly output: CliOutput;
  readonly run: (...argv: string[]) => Promise<number>;
  /** The last run's stdout as one JSON document (`--json`). */
  readonly json: () => unknown;
} {
  const output: CliOutput = { out: [], err: [] };
  const run = (...argv: string[]): Promise<number> => {
    output.out.length = 0;
    output.err.length = 0;
    return runCli([...argv, '-b', kafkaBrokers().join(',')], {
      io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
      env: {},
      version: '0.0.0-test',
    });
  };
  return { output, run, json: (): unknown => JSON.parse(output.out.join('\n')) as unknown };
}
