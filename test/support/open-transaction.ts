import type { Kafka, Message, Transaction } from 'kafkajs';

import type { Teardown } from './teardown';
import { uniqueName } from './unique-name';

/** A transaction's time before the broker aborts it: longer than any wait of a test. */
const TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * A transaction of a producer of its own (a foreign writer, or one that died) holding `messages`
 * on `topic`, left open: read_committed readers see none of it, and nothing after it, until the
 * test commits or aborts it, or a minute passes. The producer is disconnected after the test.
 */
export async function openTransaction(
  kafka: Kafka,
  teardown: Teardown,
  topic: string,
  messages: Message[],
): Promise<Transaction> {
  const producer = kafka.producer({
    transactionalId: uniqueName('tx'),
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: TRANSACTION_TIMEOUT_MS,
  });
  teardown.add('the transactional producer', producer, (p) => p.disconnect());
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.send({ topic, messages });
  return transaction;
}
