import { HolderUnavailableError } from '../errors/holder-unavailable-error';
import { HolderWaitTimeoutError } from '../errors/holder-wait-timeout-error';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import type { PartitionRef } from './query-routing';
import { waitUntil } from './wait-until';

export interface HolderWait {
  /** How long to wait for a holder when none is known (a rebalance in progress). */
  readonly timeoutMs: number;
  /** Ends the wait when the client goes away or the server stops. */
  readonly signal: AbortSignal;
}

/**
 * Where a key-routed request must go: undefined when this instance holds the partition (answer
 * here), the holder's address when another does (forward). While nobody holds it (a rebalance),
 * waits for a claim up to `wait.timeoutMs`, then throws HolderWaitTimeoutError (504). Throws
 * HolderUnavailableError (503) when the request was forwarded here already (`forwardedBy`) and
 * this instance would forward it again: instances that disagree during a rebalance would
 * otherwise bounce it between them.
 */
export async function partitionHolder(
  directory: InstanceDirectory,
  service: string,
  ref: PartitionRef,
  forwardedBy: string | undefined,
  wait: HolderWait,
): Promise<InstanceAddress | undefined> {
  const holder =
    directory.holderOf(service, ref.topic, ref.partition) ??
    (await awaitHolder(directory, service, ref, wait));
  if (holder.instanceId === directory.self.instanceId) return undefined;
  if (forwardedBy !== undefined) {
    throw new HolderUnavailableError(
      service,
      ref.topic,
      ref.partition,
      `Instance "${forwardedBy}" forwarded this request here, but this instance ("${directory.self.instanceId}") sees "${holder.instanceId}" as the holder; the instances disagree while the group rebalances, so it is not forwarded again`,
    );
  }
  return holder;
}

async function awaitHolder(
  directory: InstanceDirectory,
  service: string,
  ref: PartitionRef,
  wait: HolderWait,
): Promise<InstanceAddress> {
  try {
    return await waitUntil(() => directory.holderOf(service, ref.topic, ref.partition), {
      timeoutMs: wait.timeoutMs,
      signal: wait.signal,
      changes: directory,
    });
  } catch (error) {
    if (!QueryTimeoutError.is(error)) throw error;
    throw new HolderWaitTimeoutError(service, ref.topic, ref.partition, wait.timeoutMs);
  }
}
