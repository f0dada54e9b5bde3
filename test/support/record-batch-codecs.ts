import { Consumer } from '@platformatic/kafka';

import { uniqueName } from './unique-name';

/** Kafka's codec ids, in a record batch's attribute bits 0-2. */
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
/** Attribute bit 5: a transaction marker's batch, never compressed. */
const IS_CONTROL = 0b10_0000;

export type RecordBatchCodec = (typeof CODECS)[number];

/**
 * The codec of every record batch in one partition (transaction markers left out), read from
 * offset 0 with a raw fetch (no group, nothing committed): what a producer's compression option
 * actually put on the broker.
 */
export async function recordBatchCodecs(
  brokers: readonly string[],
  topic: string,
  partition: number,
): Promise<RecordBatchCodec[]> {
  const consumer = new Consumer({
    clientId: uniqueName('codec-reader'),
    groupId: uniqueName('codec-reader'),
    bootstrapBrokers: [...brokers],
  });
  try {
    const metadata = await consumer.metadata({ topics: [topic] });
    const described = metadata.topics.get(topic);
    const leader = described?.partitions[partition];
    if (described === undefined || leader === undefined) {
      throw new Error(`partition ${partition} of "${topic}" has no leader in the metadata`);
    }
    const response = await consumer.fetch({
      node: leader.leader,
      maxWaitTime: 100,
      topics: [
        {
          topicId: described.id,
          partitions: [
            {
              partition,
              fetchOffset: 0n,
              partitionMaxBytes: 1_048_576,
              currentLeaderEpoch: leader.leaderEpoch,
              lastFetchedEpoch: -1,
            },
          ],
        },
      ],
    });
    const batches = response.responses[0]?.partitions[0]?.records ?? [];
    return batches
      .filter((batch) => (batch.attributes & IS_CONTROL) === 0)
      .map((batch) => CODECS[batch.attributes & 0b111] ?? 'none');
  } finally {
    await consumer.close();
  }
}
