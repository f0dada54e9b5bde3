import { CompressionTypes, type Message } from 'kafkajs';

import type { KafkaCompression } from '../kafka-compression';
import type { OutgoingRecord, RecordMetadata } from '../transport';
import type { KafkaAdminOps } from './kafka-admin-ops';
import {
  assertValidRecord,
  assignEntryOffsets,
  assignOffsets,
  type KafkaSender,
  toKafkaMessage,
  type TopicRecords,
  toTopicMessages,
} from './kafka-records';

const CODECS: Readonly<Record<KafkaCompression, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/**
 * Sends records with their explicit partitions through any kafkajs sender (the shared idempotent
 * producer or a transaction), after checking the topic exists and has those partitions: kafkajs
 * itself would retry a send to a missing topic or partition until its retries run out.
 */
export class KafkaRecordWriter {
  readonly #admin: KafkaAdminOps;
  readonly #compression: CompressionTypes;

  /**
   * `compression`: the codec of every record batch written (the producer.compression option;
   * kafkajs has snappy, lz4 and zstd once registerKafkajsCodecs ran).
   */
  constructor(admin: KafkaAdminOps, compression: KafkaCompression = 'none') {
    this.#admin = admin;
    this.#compression = CODECS[compression];
  }

  /**
   * Refuses what the broker would refuse or kafkajs would retry forever; nothing is sent. Throws
   * at once for a malformed record; undefined (no promise) once the topic's partitions are known.
   */
  validate(topic: string, records: readonly OutgoingRecord[]): Promise<void> | undefined {
    records.forEach((record, index) => assertValidRecord(topic, record, index));
    return this.#admin.validatePartitions(
      topic,
      records.map((record) => record.partition),
    );
  }

  /**
   * Sends already validated records of several topics in one go: kafkajs groups them into one
   * Produce request per broker, each partition's records in the order given.
   */
  async writeMany(sender: KafkaSender, entries: readonly TopicRecords[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    const now = Date.now();
    for (const { topic, records } of entries) {
      let messages = byTopic.get(topic);
      if (messages === undefined) byTopic.set(topic, (messages = []));
      for (const record of records) messages.push(toKafkaMessage(record, now));
    }
    if (byTopic.size === 0) return;
    await sender.sendBatch({
      acks: -1,
      compression: this.#compression,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  /**
   * writeMany that also reports where each record landed: one array per entry, in the entries'
   * order, each record's offset counted from its partition's base offset across the entries.
   */
  async writeManyWithOffsets(
    sender: KafkaSender,
    entries: readonly TopicRecords[],
  ): Promise<RecordMetadata[][]> {
    const topicMessages = toTopicMessages(entries, Date.now());
    if (topicMessages.length === 0) return entries.map(() => []);
    const results = await sender.sendBatch({
      acks: -1,
      compression: this.#compression,
      topicMessages,
    });
    return assignEntryOffsets(entries, results);
  }

  async write(
    sender: KafkaSender,
    topic: string,
    records: readonly OutgoingRecord[],
  ): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    await this.validate(topic, records);
    const now = Date.now();
    const results = await sender.send({
      topic,
      acks: -1,
      compression: this.#compression,
      messages: records.map((record) => toKafkaMessage(record, now)),
    });
    return assignOffsets(topic, records, results);
  }
}
