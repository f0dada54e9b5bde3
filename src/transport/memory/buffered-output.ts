import type { OutgoingRecord, ProduceOptions, RecordOutput } from '../transport';

/**
 * Collects an exactly-once handler's records; they are appended only when its offset commits.
 * `flush` changes nothing here: on Kafka a flushed write is still invisible until the transaction
 * commits, and the memory broker makes it visible exactly then.
 */
export class BufferedOutput implements RecordOutput {
  readonly pending: { topic: string; records: readonly OutgoingRecord[] }[] = [];
  readonly #validate: (topic: string, records: readonly OutgoingRecord[]) => void;

  constructor(validate: (topic: string, records: readonly OutgoingRecord[]) => void) {
    this.#validate = validate;
  }

  produce(
    topic: string,
    records: readonly OutgoingRecord[],
    _options?: ProduceOptions,
  ): Promise<void> {
    this.#validate(topic, records);
    this.pending.push({ topic, records });
    return Promise.resolve();
  }
}
