import type { ActivityCounter } from './activity-counter';
import { toDeliveredRecord } from './delivered-record';
import type { FetchedBatch } from './fetched-batch';
import { partitionKey } from './partition-key';
import type { RedeliveryPauses } from './redelivery-pauses';
import type { DeliveredRecord, SubscriptionOptions } from './transport';

export interface ReaderBatchDeps {
  readonly readBatch: NonNullable<SubscriptionOptions['readBatch']>;
  /** Counts the running call, so a revoke waits for it. */
  readonly handlers: ActivityCounter;
  readonly pauses: RedeliveryPauses;
  /** New records may not start: the subscription stops or the assignment is being revoked. */
  readonly halted: () => boolean;
}

/**
 * Hands one fetched batch of one partition to a reader's readBatch in a single call: no task,
 * output or promise per record, and the batch's staleness checked once instead of per record (on
 * kafkajs each check builds a JSON key). Records below `floor` are left out. Resolves true when
 * the reader took the whole batch (the caller then resolves its offsets); false when the batch
 * was not handed over (halted, stale) or the reader rejected, in which case its partition is
 * paused and the batch is fetched again from its first record after the backoff.
 */
export async function runReaderBatch(
  payload: FetchedBatch,
  floor: number | undefined,
  deps: ReaderBatchDeps,
): Promise<boolean> {
  const { batch } = payload;
  if (deps.halted() || !payload.isRunning() || payload.isStale()) return false;
  const records: DeliveredRecord[] = [];
  for (const message of batch.messages) {
    if (floor !== undefined && Number(message.offset) < floor) continue;
    records.push(toDeliveredRecord(batch.topic, batch.partition, message));
  }
  const first = records[0];
  if (first !== undefined) {
    const target = { topic: batch.topic, partition: batch.partition };
    deps.handlers.enter();
    try {
      await deps.readBatch(records);
      deps.pauses.succeeded(partitionKey(target));
    } catch (error) {
      deps.pauses.schedule(target, first.offset, error, payload);
      return false;
    } finally {
      deps.handlers.leave();
    }
  }
  // Rejects when the group rebalanced meanwhile: the batch loop then revokes, as after a task.
  await payload.heartbeat();
  return true;
}
