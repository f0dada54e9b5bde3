import type { CoalescedSink } from '../produce-coalescer';
import type { KafkaConnection } from './kafka-connection';
import type { TopicRecords } from './kafka-records';

/**
 * Where the transport's coalescer sends: each call checked on its own by the record writer,
 * merged calls as one sendBatch on the shared producer (which tracks the topics it wrote to).
 */
export function producerSink({ admin, producer, writer }: KafkaConnection): CoalescedSink {
  // The first calls to a topic (100 publishes at once after start-up) would each look its
  // partitions up on the broker; they share one look-up instead, and later calls hit its cache.
  const lookups = new Map<string, Promise<unknown>>();
  const lookUpOnce = (topic: string): Promise<unknown> => {
    let lookup = lookups.get(topic);
    if (lookup === undefined) {
      lookup = admin
        .partitionCount(topic)
        .catch(() => undefined) // validate() looks again and reports the problem to each caller
        .finally(() => lookups.delete(topic));
      lookups.set(topic, lookup);
    }
    return lookup;
  };
  return {
    async validate(topic, records) {
      await lookUpOnce(topic);
      await writer.validate(topic, records);
    },
    send: (entries) =>
      producer.use(topicsOf(entries), (sender) => writer.writeManyWithOffsets(sender, entries)),
  };
}

function topicsOf(entries: readonly TopicRecords[]): string[] {
  return [...new Set(entries.map((entry) => entry.topic))];
}
