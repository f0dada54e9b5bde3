import { setTimeout as delay } from 'node:timers/promises';

import { TransportError } from '../errors/transport-error';
import type { Logger } from '../logging/logger';
import { errorMessage, isRetriableKafkaError } from './kafka/kafka-errors';

export interface RetryWithinOptions {
  /** What the caller waits for, as the log and the final error say it ("the group coordinator"). */
  readonly waitingFor: string;
  /** The whole wait, from the first attempt. */
  readonly deadlineMs: number;
  readonly logger: Logger;
  /** True once the caller gave up (stop()): the last error is thrown at once. */
  readonly stopped?: () => boolean;
  readonly initialPauseMs?: number;
  readonly maxPauseMs?: number;
}

/** Between "waiting for" log lines: a broker that stays down must not flood the log. */
const LOG_EVERY_MS = 5_000;

/**
 * Runs `operation` until it succeeds, retrying retriable errors with a doubling pause until the
 * deadline. A broker that is starting, restarting or electing leaders answers with retriable
 * errors for seconds; start-up waits that out instead of failing on the first one. A
 * non-retriable error is thrown at once; at the deadline a retriable TransportError says what was
 * waited for, for how long, and the last error.
 */
export async function retryWithin<T>(
  operation: () => Promise<T>,
  options: RetryWithinOptions,
): Promise<T> {
  const startedAt = Date.now();
  const giveUpAt = startedAt + options.deadlineMs;
  let pauseMs = options.initialPauseMs ?? 200;
  let loggedAt = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await operation();
      if (attempt > 1) {
        options.logger.info(`${options.waitingFor}: ready`, {
          attempts: attempt,
          waitedMs: Date.now() - startedAt,
        });
      }
      return result;
    } catch (error) {
      if (!isRetriableKafkaError(error) || options.stopped?.() === true) throw error;
      const now = Date.now();
      if (now + pauseMs > giveUpAt) {
        throw new TransportError(
          `Kafka: gave up waiting for ${options.waitingFor} after ${now - startedAt} ms (${attempt} attempt${attempt === 1 ? '' : 's'}; last error: ${errorMessage(error)}). Check that the broker is running and reachable at the configured brokers (KafkaTransport's brokers option, KAFKA_BROKERS, the CLI's -b/--brokers), or raise the transport's startupTimeoutMs.`,
          { retriable: true, cause: error },
        );
      }
      if (now - loggedAt >= LOG_EVERY_MS) {
        loggedAt = now;
        options.logger.warn(`waiting for ${options.waitingFor}`, {
          attempt,
          waitedMs: now - startedAt,
          deadlineMs: options.deadlineMs,
          error: errorMessage(error),
        });
      }
      await delay(pauseMs);
      pauseMs = Math.min(pauseMs * 2, options.maxPauseMs ?? 2_000);
    }
  }
}
