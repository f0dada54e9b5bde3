import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { SilentLogger } from '../../src/logging/silent-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { partitionForKey } from '../../src/transport/partitioner';
import type {
  DeliveredRecord,
  OutgoingRecord,
  Subscription,
  Transport,
} from '../../src/transport/transport';
import { kafkaBrokers } from '../support/kafka-env';
import type { Teardown } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import type { Item } from './relay-service';
import { RELAY_PARTITIONS } from './relay-service';

/** The test's own connected client (topics, produce, reads), disconnected after the test. */
export async function faultTestClient(teardown: Teardown): Promise<KafkaTransport> {
  const client = teardown.add(
    'the client',
    new KafkaTransport({
      brokers: kafkaBrokers(),
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
    }),
    (c) => c.disconnect(),
  );
  await client.connect();
  return client;
}

export function itemRecord(item: Item): OutgoingRecord {
  const key = Buffer.from(item.key);
  return {
    key,
    value: Buffer.from(JSON.stringify(item)),
    partition: partitionForKey(key, RELAY_PARTITIONS),
  };
}

/** One key per partition: a sentinel on each proves everything before it on that partition was relayed. */
export function sentinelKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < RELAY_PARTITIONS; i++) {
    const key = `sentinel-${i}`;
    if (partitionForKey(Buffer.from(key), RELAY_PARTITIONS) === keys.length) keys.push(key);
  }
  return keys;
}

/** A sentinel on every partition of `topic`: once each is relayed, everything before it was. */
export async function produceSentinels(transport: Transport, topic: string): Promise<void> {
  await transport.produce(
    topic,
    sentinelKeys().map((key) => itemRecord({ id: -1, key })),
  );
}

/** Produces `count` items in batches, retrying a batch while the broker is unavailable. */
export async function produceItems(
  transport: Transport,
  topic: string,
  from: number,
  count: number,
  onBatch?: (sent: number) => Promise<void> | void,
): Promise<void> {
  const batch = 250;
  for (let start = from; start < from + count; start += batch) {
    const items = Array.from({ length: Math.min(batch, from + count - start) }, (_, i) => ({
      id: start + i,
      key: `key-${(start + i) % 1000}`,
    }));
    for (let attempt = 1; ; attempt++) {
      try {
        await transport.produce(topic, items.map(itemRecord));
        break;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await onBatch?.(start + items.length - from);
  }
}

/**
 * Counts what a reader saw of the relayed items, by id. A record the reader gets again at the
 * same position (its own group redelivering after a failed commit) is one record of the topic,
 * not a duplicate the relay wrote, so it is counted once and in `redelivered`.
 */
export class RelayedItems {
  readonly counts = new Map<number, number>();
  readonly sentinels = new Set<string>();
  total = 0;
  redelivered = 0;
  private readonly positions = new Set<string>();
  /** Where each id was read: "partition@offset", one entry per copy. */
  private readonly places = new Map<number, string[]>();

  readonly handle = (record: DeliveredRecord): Promise<void> => {
    const position = `${record.topic}/${record.partition}/${record.offset}`;
    if (this.positions.has(position)) {
      this.redelivered++;
      return Promise.resolve();
    }
    this.positions.add(position);
    const item = JSON.parse(record.value?.toString() ?? '{}') as Item;
    if (item.key.startsWith('sentinel-')) this.sentinels.add(item.key);
    else {
      this.total++;
      this.counts.set(item.id, (this.counts.get(item.id) ?? 0) + 1);
      const places = this.places.get(item.id) ?? [];
      places.push(`${record.partition}@${record.offset}`);
      this.places.set(item.id, places);
    }
    return Promise.resolve();
  };

  missing(expected: number): number[] {
    return Array.from({ length: expected }, (_, i) => i).filter((id) => !this.counts.has(id));
  }

  duplicates(): number {
    return this.total - this.counts.size;
  }

  /**
   * The ids read more often here than in `source` (the topic a relay read), and where each copy
   * was: what the relay itself wrote more than once.
   */
  surplusOver(source: RelayedItems): string[] {
    return [...this.counts]
      .filter(([id, count]) => count > (source.counts.get(id) ?? 0))
      .map(([id]) => `${id}: ${(this.places.get(id) ?? []).join(', ')}`);
  }

  /** The first `limit` ids read more than once and where each copy was, for a failure message. */
  duplicatesText(limit = 10): string {
    const doubled = [...this.places].filter(([, places]) => places.length > 1);
    return doubled
      .slice(0, limit)
      .map(([id, places]) => `${id}: ${places.join(', ')}`)
      .join('; ');
  }
}

/**
 * A reader of `topic` from its start in a group of its own (named after `prefix`), counting
 * what it reads; stopped after the test.
 */
export async function readRelayed(
  transport: Transport,
  topic: string,
  teardown: Teardown,
  prefix = 'reader',
): Promise<{ relayed: RelayedItems; reader: Subscription }> {
  const relayed = new RelayedItems();
  const reader = await transport.subscribe({
    groupId: uniqueName(prefix),
    topics: [topic],
    offsetReset: 'earliest',
    handle: relayed.handle,
  });
  teardown.add('the reader', reader, (r) => r.stop());
  return { relayed, reader };
}

export interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  /** The last few kilobytes the worker wrote to stderr (its warnings and errors). */
  stderrTail(): string;
}

/**
 * Stops a worker that is still running: SIGTERM (a graceful stop), then SIGKILL if it has not
 * exited after `graceMs`, so a worker stuck in its shutdown cannot keep the test run alive.
 */
export async function stopWorker(worker: Worker, graceMs = 15_000): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exitedInTime = await Promise.race([
    worker.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!exitedInTime) {
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
}

/** Starts a worker script of test/faults in its own Node process (under tsx). */
export function startWorker(env: Record<string, string>, script = 'relay-worker.ts'): Worker {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('READY')) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`relay worker exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
  return { child, ready, exited, stderrTail: () => stderr };
}
