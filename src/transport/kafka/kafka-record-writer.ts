import type { OutgoingRecord, RecordMetadata } from '../transport';
import type { KafkaAdminOps } from './kafka-admin-ops';
import {
  assertValidRecord,
  assignOffsets,
  type KafkaSender,
  toKafkaMessage,
} from './kafka-records';

/**
 * Sends records with their explicit partitions through any kafkajs sender (the shared idempotent
 * producer or a transaction), after checking the topic exists and has those partitions: kafkajs
 * itself would retry a send to a missing topic or partition until its retries run out.
 */
export class KafkaRecordWriter {
  readonly #admin: KafkaAdminOps;

  constructor(admin: KafkaAdminOps) {
    this.#admin = admin;
  }

  async write(
    sender: KafkaSender,
    topic: string,
    records: readonly OutgoingRecord[],
  ): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    records.forEach((record, index) => assertValidRecord(topic, record, index));
    await this.#admin.validatePartitions(
      topic,
      records.map((record) => record.partition),
    );
    const now = Date.now();
    const results = await sender.send({
      topic,
      acks: -1,
      messages: records.map((record) => toKafkaMessage(record, now)),
    });
    return assignOffsets(topic, records, results);
  }
}
