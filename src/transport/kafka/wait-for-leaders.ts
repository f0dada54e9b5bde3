import { setTimeout as delay } from 'node:timers/promises';

import type { Admin } from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import { errorMessage, isRetriableKafkaError } from './kafka-errors';

/**
 * Waits until every partition of `topics` has a leader. kafkajs' own wait (createTopics with
 * waitForLeaders) gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a fresh or busy broker
 * answers for a moment after a successful create; here retriable answers are waited out until the
 * deadline, and only then reported, as a retriable TransportError.
 */
export async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  deadlineMs: number,
): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  let pauseMs = 50;
  let lastProblem = 'no answer yet';
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = topics.filter((name) => {
        const found = metadata.topics.find((topic) => topic.name === name);
        return found === undefined || found.partitions.some((partition) => partition.leader < 0);
      });
      if (leaderless.length === 0) return;
      lastProblem = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      if (!isRetriableKafkaError(error)) throw error;
      lastProblem = errorMessage(error);
    }
    if (Date.now() + pauseMs > giveUpAt) {
      throw new TransportError(
        `Kafka: created topics ${topics.join(', ')} but their partitions have no leader after ${deadlineMs} ms (${lastProblem}). The broker may be overloaded or restarting; the operation can be retried.`,
        { retriable: true },
      );
    }
    await delay(pauseMs);
    pauseMs = Math.min(pauseMs * 2, 1_000);
  }
}
