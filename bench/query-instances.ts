import { Partitioners } from 'kafkajs';

import { partitionForKey } from '../src';
import { buildEnvelope } from '../src/testing';
import { type BenchContext, runName } from './context';
import { InstanceProcess } from './instance-process';
import { pollUntil } from './progress';
import { type QueryItem, queryKey, queryTopology } from './query-service';
import { chunks } from './records';

const PARTITIONS = 6;

/**
 * Two app instances of the query service in child processes, on one topic of `keys` items, split
 * between them by the consumer group. Requests go to the first instance (`askedUrl`): for
 * `localKeys` it answers itself, for `forwardedKeys` it forwards to the second.
 */
export class QueryInstances {
  readonly askedUrl: string;
  readonly localKeys: readonly string[];
  readonly forwardedKeys: readonly string[];
  readonly #instances: readonly InstanceProcess[];

  private constructor(
    instances: readonly InstanceProcess[],
    askedUrl: string,
    localKeys: readonly string[],
    forwardedKeys: readonly string[],
  ) {
    this.#instances = instances;
    this.askedUrl = askedUrl;
    this.localKeys = localKeys;
    this.forwardedKeys = forwardedKeys;
  }

  /** Starts both instances, writes the items and waits until either instance answers for every key. */
  static async start(context: BenchContext): Promise<QueryInstances> {
    const { config } = context;
    const settings = {
      brokers: config.brokers,
      topic: runName(context, 'query', 'items'),
      service: runName(context, 'query', 'svc'),
      partitions: PARTITIONS,
    };
    const instances: InstanceProcess[] = [];
    try {
      // The first instance creates the topic (compacted, as the service declares it).
      instances.push(new InstanceProcess(settings));
      const asked = await instances[0].ready;
      await writeItems(context, settings.topic, settings.service, config.queryKeys);
      instances.push(new InstanceProcess(settings));
      const other = await instances[1].ready;
      const owners = await agreedOwners(
        instances,
        [asked.instanceId, other.instanceId],
        config.runTimeoutMs,
      );
      const keys = Array.from({ length: config.queryKeys }, (_, index) => queryKey(index));
      const holder = (key: string): string | null =>
        owners[partitionForKey(Buffer.from(key), PARTITIONS)];
      const fixture = new QueryInstances(
        instances,
        asked.url,
        keys.filter((key) => holder(key) === asked.instanceId),
        keys.filter((key) => holder(key) === other.instanceId),
      );
      await fixture.#waitForEveryKey([asked.url, other.url], keys, config.runTimeoutMs);
      return fixture;
    } catch (error) {
      await Promise.all(instances.map((instance) => instance.stop()));
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#instances.map((instance) => instance.stop()));
  }

  async #waitForEveryKey(
    urls: readonly string[],
    keys: readonly string[],
    timeoutMs: number,
  ): Promise<void> {
    await pollUntil(
      `both query instances to answer 200 for all ${keys.length} keys`,
      async () => {
        let answered = 0;
        for (const url of urls) {
          for (const key of keys) {
            const response = await fetch(`${url}/items/${key}`);
            await response.arrayBuffer();
            if (response.status === 200) answered++;
          }
        }
        return answered;
      },
      urls.length * keys.length,
      500,
      timeoutMs,
    );
  }
}

/** Waits until both instances see the same holder for every partition, each holding some. */
async function agreedOwners(
  instances: readonly InstanceProcess[],
  ids: readonly string[],
  timeoutMs: number,
): Promise<readonly (string | null)[]> {
  let agreed: readonly (string | null)[] = [];
  await pollUntil(
    'both query instances to agree on who holds each partition, each holding some',
    async () => {
      const views = await Promise.all(instances.map((instance) => instance.owners()));
      const [first] = views;
      const same = views.every(
        (view) => view.length === PARTITIONS && view.every((o, p) => o === first[p]),
      );
      const bothHold = ids.every((id) => first.includes(id));
      agreed = first;
      return same && bothHold ? 1 : 0;
    },
    1,
    100,
    timeoutMs,
  );
  return agreed;
}

async function writeItems(
  context: BenchContext,
  topicName: string,
  service: string,
  count: number,
): Promise<void> {
  const { items } = queryTopology(topicName, service, PARTITIONS);
  const producer = context.kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const values: QueryItem[] = Array.from({ length: count }, (_, index) => ({
      id: queryKey(index),
      payload: 'x'.repeat(64),
    }));
    for (const batch of chunks(values, 1_000)) {
      const messages = batch.map((value) => {
        const { record } = buildEnvelope(items, value, {
          producer: service,
          timestamp: Date.now(),
        });
        return {
          key: record.key,
          value: record.value,
          partition: record.partition,
          headers: record.headers,
        };
      });
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topicName, messages }] });
    }
  } finally {
    await producer.disconnect();
  }
}
