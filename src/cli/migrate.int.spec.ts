import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { brokerCli } from '../../test/support/broker-cli';
import { kafkaBrokers } from '../../test/support/kafka-env';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
import { SilentLogger } from '../logging/silent-logger';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { partitionForKey } from '../transport/partitioner';
import { PlatformaticKafkaTransport } from '../transport/platformatic/platformatic-transport';
import type { DeliveredRecord } from '../transport/transport';
import { copyGroup } from './run-copy';

const RECORDS = 1_000;
const KEYS = 20;

/** Drops every 7th event of a key, renames key k0 to K0, and reshapes the value. */
const TRANSFORM = `
exports.default = async (record) => {
  const delay = Number(process.env.MIGRATE_DELAY_MS ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (record.value.n % 7 === 0) return undefined;
  return {
    ...(record.key === 'k0' ? { key: 'K0' } : {}),
    value: { id: record.value.key, seq: record.value.n, version: 2 },
  };
};
`;

interface Event {
  readonly key: string;
  readonly n: number;
}

describe('streamwise migrate and repartition on Kafka', () => {
  const brokers = kafkaBrokers().join(',');
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'migrate-int' });
  // The log ends (high watermarks, restoreEndOffsets). kafkajs lists only the read_committed end,
  // which stops at an open transaction and, just after a commit, may still be below
  // the records it committed (its markers are written after the commit returns): a reader that
  // stops there misses records that are there.
  const logEnds = new PlatformaticKafkaTransport({
    brokers: kafkaBrokers(),
    clientId: 'migrate-int-ends',
    logger: new SilentLogger(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'sw-migrate-'));
  const transformFile = join(dir, 'orders-v2.js');
  const source = uniqueName('migrate-orders');
  const topics = [source];
  const events: Event[] = [];
  const { output, run } = brokerCli();
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    writeFileSync(transformFile, TRANSFORM);
    await transport.connect();
    await logEnds.connect();
    await transport.createTopics([{ name: source, partitions: 2, compacted: false }]);
    const counts = new Map<string, number>();
    for (let i = 0; i < RECORDS; i++) {
      const key = `k${i % KEYS}`;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      events.push({ key, n });
    }
    await transport.produce(
      source,
      events.map((event) => ({
        key: Buffer.from(event.key),
        value: Buffer.from(JSON.stringify(event)),
        partition: partitionForKey(Buffer.from(event.key), 2),
      })),
    );
  });
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  });
  afterAll(async () => {
    await transport.deleteTopics(topics);
    await transport.disconnect();
    await logEnds.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Everything committed on a topic, read to the log's end (read_committed: aborted writes
   * skipped, so a transaction still open there holds the read up), once per offset: the reader is
   * a subscription, so a batch whose commit failed is handled again, and a record handed to it
   * twice is not a record written twice.
   */
  async function readAll(topic: string): Promise<DeliveredRecord[]> {
    const ends = await logEnds.restoreEndOffsets(topic);
    const positions = ends.map(() => 0);
    const records = new Map<string, DeliveredRecord>();
    const reader = await transport.subscribe({
      groupId: uniqueName('migrate-check'),
      topics: [topic],
      offsetReset: 'earliest',
      exactlyOnce: true,
      handle: (record) => {
        records.set(`${record.partition}@${record.offset}`, record);
        positions[record.partition] = record.offset + 1;
        return Promise.resolve();
      },
      onPosition: (_topic, partition, next) => {
        positions[partition] = Math.max(positions[partition], next);
      },
    });
    try {
      await waitFor(() => positions.every((p, i) => p >= ends[i]), `${topic} read to its end`);
    } finally {
      await reader.stop();
    }
    return [...records.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  }

  it('migrates through a transform, resumes after a kill -9 losing nothing, and then writes nothing', async () => {
    const target = uniqueName('migrate-orders-v2');
    topics.push(target);
    const group = copyGroup('migrate', source, target);
    const committed = async () =>
      (await transport.committedOffsets(group, source)).reduce<number>((s, o) => s + (o ?? 0), 0);

    const cli = join(__dirname, 'main.ts');
    child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        cli,
        'migrate',
        source,
        target,
        '--transform',
        transformFile,
        '-b',
        brokers,
      ],
      { env: { ...process.env, MIGRATE_DELAY_MS: '5' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    await waitFor(async () => (await committed()) > 0, 'the first run committed some progress');
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    const interruptedAt = await committed();
    expect(interruptedAt).toBeLessThan(RECORDS);

    expect(await run('migrate', source, target, '--transform', transformFile, '--json')).toBe(0);
    const resumed = JSON.parse(output.out.join('\n')) as { total: number; read: number };
    expect(resumed.total).toBe(RECORDS - interruptedAt);
    expect(output.err[0]).toMatch(/^migrate: 0\/\d+ records \(0%\)$/);

    const expected = events
      .filter((event) => event.n % 7 !== 0)
      .map((event) => ({
        key: event.key === 'k0' ? 'K0' : event.key,
        value: { id: event.key, seq: event.n, version: 2 },
      }));
    const written = await readAll(target);
    const got = written.map((r) => ({
      key: r.key?.toString() ?? '',
      value: JSON.parse(r.value?.toString() ?? 'null') as {
        id: string;
        seq: number;
        version: number;
      },
    }));
    const byKeyThenSeq = (a: (typeof expected)[number], b: (typeof expected)[number]) =>
      a.key.localeCompare(b.key) || a.value.seq - b.value.seq;
    // Exactly once: each expected record at one offset, none lost, none made up.
    expect([...got].sort(byKeyThenSeq)).toEqual([...expected].sort(byKeyThenSeq));
    // Per key: one partition (the Java partitioner's for the new key) and the source's order.
    for (const record of written) {
      expect(record.partition).toBe(partitionForKey(record.key ?? Buffer.alloc(0), 2));
    }
    for (const key of new Set(got.map((g) => g.key))) {
      const seqs = got.filter((g) => g.key === key).map((g) => g.value.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }

    const endsBefore = await transport.endOffsets(target);
    expect(await run('migrate', source, target, '--transform', transformFile)).toBe(0);
    expect(output.out).toEqual([
      `${target} is up to date with ${source}: nothing to copy (progress in group ${group}).`,
    ]);
    expect(await transport.endOffsets(target)).toEqual(endsBefore);
  });

  it('repartitions into a new topic with keys on their new partitions, in order', async () => {
    const target = `${source}-p5`;
    topics.push(target);
    expect(await run('repartition', source, '--partitions', '5', '--json')).toBe(0);
    expect(JSON.parse(output.out.join('\n'))).toMatchObject({
      to: target,
      total: RECORDS,
      written: RECORDS,
    });
    expect((await transport.describeTopic(target))?.partitions).toBe(5);
    const written = await readAll(target);
    expect(written).toHaveLength(RECORDS);
    for (let k = 0; k < KEYS; k++) {
      const key = `k${k}`;
      const ofKey = written.filter((r) => r.key?.toString() === key);
      expect(new Set(ofKey.map((r) => r.partition))).toEqual(
        new Set([partitionForKey(Buffer.from(key), 5)]),
      );
      const ns = ofKey.map((r) => (JSON.parse(r.value?.toString() ?? '{}') as Event).n);
      expect(ns).toEqual(ns.map((_, i) => i));
    }
  });
});
