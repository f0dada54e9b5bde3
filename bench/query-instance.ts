// One app instance of the query scenarios, run as a child process by query-instances.ts so that
// each instance has a CPU and an event loop of its own, as two deployed instances would.
// Talks to its parent over the IPC channel: "ready" once serving, "owners" on request.
import 'reflect-metadata';

import { SilentLogger, StreamwiseApp } from '../src';
import { KafkaTransport } from '../src/kafka';
import { queryTopology } from './query-service';

export interface InstanceSettings {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly service: string;
  readonly partitions: number;
}

/** What an instance tells its parent. */
export type InstanceMessage =
  | { readonly type: 'ready'; readonly instanceId: string; readonly url: string }
  | { readonly type: 'owners'; readonly owners: readonly (string | null)[] };

/** What the parent asks: who holds each partition (as this instance sees it), or to stop. */
export type ParentMessage = { readonly type: 'owners' } | { readonly type: 'stop' };

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_QUERY_INSTANCE ?? '{}') as InstanceSettings;
  const send = (message: InstanceMessage): void => {
    process.send?.(message);
  };
  const { service } = queryTopology(settings.topic, settings.service, settings.partitions);
  const app = StreamwiseApp.create({
    services: [service],
    transport: new KafkaTransport({ brokers: [...settings.brokers], logger: new SilentLogger() }),
    logger: new SilentLogger(),
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'owners') {
      const owners = Array.from(
        { length: settings.partitions },
        (_, partition) =>
          app.partitionHolder(settings.service, settings.topic, partition)?.instanceId ?? null,
      );
      send({ type: 'owners', owners });
    } else {
      void app.stop().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => {
    void app.stop().then(() => process.exit(0));
  });
  await app.start();
  send({ type: 'ready', instanceId: app.instanceId, url: app.httpUrl ?? '' });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `query instance failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
