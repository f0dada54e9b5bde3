/** Where commands write, so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** stderr is a terminal: long commands draw a progress bar there instead of printing lines. */
  readonly errTerminal?: boolean;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  errTerminal: process.stderr.isTTY,
};
