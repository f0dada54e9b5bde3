import { Presets, SingleBar } from 'cli-progress';

import type { CliIo } from './cli-io';

/** How often the plain (non-terminal) progress prints a line. */
const PLAIN_INTERVAL_MS = 2_000;

export interface CopyProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; otherwise (a pipe, CI, a log file) a plain line
 * every few seconds, which a log keeps readable where a redrawn bar would not be.
 */
export function copyProgress(io: CliIo, label: string): CopyProgress {
  if (io.errTerminal === true) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} records | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, done);
        else bar.update(done);
        started = true;
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLine = 0;
  let last: { done: number; total: number } | undefined;
  const print = ({ done, total }: { done: number; total: number }) =>
    io.err(
      `${label}: ${done}/${total} records (${total === 0 ? 100 : Math.floor((done * 100) / total)}%)`,
    );
  return {
    update(done, total) {
      last = { done, total };
      if (Date.now() - lastLine < PLAIN_INTERVAL_MS) return;
      lastLine = Date.now();
      print(last);
    },
    stop() {
      if (last !== undefined && lastLine !== 0) print(last);
    },
  };
}
