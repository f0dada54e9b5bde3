import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** A delaying proxy in front of the benchmark's broker, in a process of its own. */
export interface DelayedLink {
  /** What the clients bootstrap from instead of the broker. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts test/support's KafkaFaultProxy with `delayMs` in front of `brokers` (one broker on
 * 127.0.0.1) in a child process, so its copying costs the benchmark's process nothing: every
 * request and answer of every client then crosses a link with a round trip of 2 × delayMs.
 */
export async function startDelayedLink(
  brokers: readonly string[],
  delayMs: number,
): Promise<DelayedLink> {
  const [broker, ...others] = brokers;
  if (broker === undefined || others.length > 0) {
    throw new Error(
      `BENCH_LINK_DELAY_MS needs exactly one broker in BENCH_BROKERS, got "${brokers.join(',')}".`,
    );
  }
  const child = fork(join(__dirname, 'link-delay-process.js'), [broker, String(delayMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the delaying proxy exited with code ${String(code)} before it listened`);
      }),
    ])) as [unknown];
    if (typeof message !== 'string') throw new Error('the delaying proxy sent no address');
    return { address: message, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
