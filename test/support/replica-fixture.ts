import { SilentLogger } from '../../src/logging/silent-logger';
import { postgresDatabase } from '../../src/replicas/postgres-database';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import type { TopicSpec } from '../../src/transport/transport';
import { kafkaBrokers } from './kafka-env';
import { dropReplica } from './postgres-env';
import type { Teardown } from './teardown';

/**
 * What a replica test on the real broker and PostgreSQL starts from: the database at `url` (its
 * versions of `table` dropped after the test), a maker of quiet Kafka transports, and a connected
 * client that created `topics`.
 */
export async function openReplicaFixture(
  teardown: Teardown,
  { url, table, topics }: { url: string; table: string; topics: readonly TopicSpec[] },
) {
  const database = teardown.add('the database', postgresDatabase({ connectionString: url }), (d) =>
    d.close(),
  );
  teardown.add('the tables', table, (name) => dropReplica(database, name));
  const kafka = () =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
    });
  const client = teardown.add('the client', kafka(), (c) => c.disconnect());
  await client.connect();
  await client.createTopics(topics);
  return { database, kafka, client };
}
