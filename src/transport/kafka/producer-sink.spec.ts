import type { KafkaAdminOps } from './kafka-admin-ops';
import type { KafkaConnection } from './kafka-connection';
import { KafkaRecordWriter } from './kafka-record-writer';
import { producerSink } from './producer-sink';

/** Caches partition counts as KafkaAdminOps does, counting the look-ups that reach the broker. */
class CountingAdmin {
  lookups = 0;
  readonly #cached = new Map<string, number>();

  async partitionCount(topic: string): Promise<number> {
    const cached = this.#cached.get(topic);
    if (cached !== undefined) return cached;
    this.lookups++;
    await new Promise((resolve) => setImmediate(resolve));
    this.#cached.set(topic, 3);
    return 3;
  }

  async validatePartitions(topic: string, partitions: readonly number[]): Promise<void> {
    const count = await this.partitionCount(topic);
    if (Math.max(...partitions) >= count) throw new Error(`no partition beyond ${count - 1}`);
  }
}

describe('producerSink', () => {
  it('checks the first concurrent calls to a topic with one partition look-up, not one each', async () => {
    const counting = new CountingAdmin();
    // Only the admin's partition look-ups and the writer's validate() are reached here.
    const admin = counting as unknown as KafkaAdminOps;
    const connection = {
      admin,
      writer: new KafkaRecordWriter(admin),
    } as unknown as KafkaConnection;
    const sink = producerSink(connection);
    const record = { key: null, value: Buffer.from('v'), partition: 1 };

    await Promise.all(
      Array.from({ length: 10 }, () => Promise.resolve(sink.validate('t', [record]))),
    );
    expect(counting.lookups).toBe(1);
    await expect(sink.validate('t', [{ ...record, partition: 3 }])).rejects.toThrow(
      /no partition beyond 2/,
    );
  });
});
