import { performance } from 'node:perf_hooks';

import { Consumer, type Message } from '@platformatic/kafka';

import { KAFKA_DEFAULTS } from '../src/kafka';
import { type BenchContext, runName } from './context';
import type { RunResult } from './measure';

/**
 * The second client's raw read of a whole topic: a consumer in a fresh group streaming from the
 * earliest offsets until every partition reached the end offset it had when the run started.
 */
export async function rawPlatformaticRead(
  context: BenchContext,
  topic: string,
  run: string,
): Promise<RunResult> {
  const admin = context.kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
  );
  await admin.disconnect();
  const start = performance.now();
  const consumer = new Consumer({
    clientId: runName(context, 'table-restore-platformatic', run, 'client'),
    bootstrapBrokers: [...context.config.brokers],
    groupId: runName(context, 'table-restore-platformatic', run, 'group'),
    maxWaitTime: KAFKA_DEFAULTS.maxWaitTimeMs,
  });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    const positions = new Map<number, number>();
    let records = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (message: Message) => {
        records++;
        positions.set(message.partition, Number(message.offset) + 1);
        if ([...ends].every(([partition, end]) => (positions.get(partition) ?? 0) >= end)) {
          resolve();
        }
      });
    });
    return { records, ms: performance.now() - start };
  } finally {
    await new Promise<void>((resolve, reject) => {
      consumer.close(true, (error) => (error ? reject(error) : resolve()));
    });
  }
}
