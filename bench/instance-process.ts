import { type ChildProcess, fork } from 'node:child_process';
import { extname, join } from 'node:path';

import type { InstanceMessage, InstanceSettings, ParentMessage } from './query-instance';

/** One query-scenario app instance in a child process (bench/query-instance.ts). */
export class InstanceProcess {
  readonly ready: Promise<{ readonly instanceId: string; readonly url: string }>;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #stderr = '';
  #ownerRequests: ((owners: readonly (string | null)[]) => void)[] = [];

  constructor(settings: InstanceSettings) {
    // The instance runs as the bench does: compiled by `npm run bench`, through tsx when run as .ts.
    const extension = extname(__filename);
    const loader = extension === '.ts' ? ['--require', 'tsx/cjs'] : [];
    this.#child = fork(join(__dirname, `query-instance${extension}`), [], {
      // BENCH_INSTANCE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the instances.
      execArgv: [...loader, ...nodeArgs(process.env.BENCH_INSTANCE_NODE_ARGS)],
      env: { ...process.env, BENCH_QUERY_INSTANCE: JSON.stringify(settings) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4_000);
    });
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', () => {
        // A dead instance holds nothing; whoever waits for its view stops waiting.
        for (const answer of this.#ownerRequests.splice(0)) answer([]);
        resolve();
      }),
    );
    this.ready = new Promise((resolve, reject) => {
      this.#child.on('message', (message: InstanceMessage) => {
        if (message.type === 'ready') resolve(message);
        else this.#ownerRequests.shift()?.(message.owners);
      });
      void this.#exited.then(() =>
        reject(new Error(`a query instance exited before it was ready: ${this.#stderr}`)),
      );
    });
  }

  /** Who holds each partition of the service's data, as this instance sees the claims. */
  owners(): Promise<readonly (string | null)[]> {
    return new Promise((resolve) => {
      this.#ownerRequests.push(resolve);
      this.#send({ type: 'owners' });
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.connected) this.#send({ type: 'stop' });
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
    await this.#exited;
    clearTimeout(killer);
  }

  #send(message: ParentMessage): void {
    this.#child.send(message);
  }
}

function nodeArgs(raw: string | undefined): string[] {
  return (raw ?? '').split(' ').filter((arg) => arg !== '');
}
