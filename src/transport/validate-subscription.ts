import { ConfigurationError } from '../errors/configuration-error';
import type { SubscriptionOptions } from './transport';

/**
 * Checks what the types cannot promise at run time (callers in plain JavaScript, options read
 * from config). Every transport calls it first in subscribe(), so both refuse the same options
 * with the same messages.
 */
export function validateSubscription(options: SubscriptionOptions): void {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`subscribe(): ${problem}`);
  };
  if (typeof options.groupId !== 'string' || options.groupId.trim() === '') {
    fail('groupId must be a non-empty string; instances with the same groupId share partitions.');
  }
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    fail('topics must list at least one topic.');
  }
  const topics: readonly unknown[] = options.topics;
  if (topics.some((topic) => typeof topic !== 'string' || topic === '')) {
    fail('every entry of topics must be a non-empty topic name.');
  }
  if (new Set(options.topics).size !== options.topics.length) {
    const names = options.topics.map((topic) => `"${topic}"`).join(', ');
    fail(`topics lists a topic twice (${names}); list each once.`);
  }
  if (options.offsetReset !== 'earliest' && options.offsetReset !== 'latest') {
    fail(`offsetReset must be "earliest" or "latest", got ${JSON.stringify(options.offsetReset)}.`);
  }
  const concurrency: unknown = options.concurrency;
  if (
    concurrency !== undefined &&
    (!Number.isSafeInteger(concurrency) || (concurrency as number) < 1)
  ) {
    fail(
      `concurrency must be a whole number >= 1 (records of one partition handled at once), got ${JSON.stringify(concurrency)}.`,
    );
  }
  if (typeof options.handle !== 'function') {
    fail('handle must be a function (record, output) => Promise<void>.');
  }
  validateHandleBatch(options, fail);
}

function validateHandleBatch(options: SubscriptionOptions, fail: (problem: string) => never): void {
  const readBatch: unknown = options.readBatch;
  if (readBatch === undefined) return;
  if (typeof readBatch !== 'function') {
    fail('readBatch must be a function (records) => Promise<void> | void, or left out.');
  }
  if (options.exactlyOnce === true) {
    fail(
      'readBatch is for readers that write nothing; an exactly-once subscription writes outputs in its transactions: use handle.',
    );
  }
  if ((options.concurrency ?? 1) > 1) {
    fail(
      'readBatch applies a partition’s records in offset order, one batch at a time: leave concurrency out (or 1), or use handle.',
    );
  }
}
