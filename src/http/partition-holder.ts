import { HolderUnavailableError } from '../errors/holder-unavailable-error';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import type { PartitionRef } from './query-routing';

/**
 * Where a key-routed request must go: undefined when this instance holds the partition (answer
 * here), the holder's address when another does (forward). Throws HolderUnavailableError when
 * nobody owns it, or when the request was forwarded here already (`forwardedBy`) and this
 * instance would forward it again: instances that disagree during a rebalance would otherwise
 * bounce it between them.
 */
export function partitionHolder(
  directory: InstanceDirectory,
  service: string,
  ref: PartitionRef,
  forwardedBy: string | undefined,
): InstanceAddress | undefined {
  const holder = directory.holderOf(service, ref.topic, ref.partition);
  const unavailable = (problem: string): HolderUnavailableError =>
    new HolderUnavailableError(service, ref.topic, ref.partition, problem);
  if (holder === undefined) {
    throw unavailable(
      'No instance holds the partition right now; a rebalance is probably in progress',
    );
  }
  if (holder.instanceId === directory.self.instanceId) return undefined;
  if (forwardedBy !== undefined) {
    throw unavailable(
      `Instance "${forwardedBy}" forwarded this request here, but this instance ("${directory.self.instanceId}") sees "${holder.instanceId}" as the holder; the instances disagree while the group rebalances, so it is not forwarded again`,
    );
  }
  return holder;
}
