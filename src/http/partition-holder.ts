import { OwnerUnavailableError } from '../errors/owner-unavailable-error';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import type { PartitionRef } from './query-routing';

/**
 * Where a key-routed request must go: undefined when this instance owns the partition (answer
 * here), the owner's address when another does (forward). Throws OwnerUnavailableError when
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
  const owner = directory.ownerOf(service, ref.topic, ref.partition);
  const unavailable = (problem: string): OwnerUnavailableError =>
    new OwnerUnavailableError(service, ref.topic, ref.partition, problem);
  if (owner === undefined) {
    throw unavailable(
      'No instance owns the partition right now; a rebalance is probably in progress',
    );
  }
  if (owner.instanceId === directory.self.instanceId) return undefined;
  if (forwardedBy !== undefined) {
    throw unavailable(
      `Instance "${forwardedBy}" forwarded this request here, but this instance ("${directory.self.instanceId}") sees "${owner.instanceId}" as the owner; the instances disagree while the group rebalances, so it is not forwarded again`,
    );
  }
  return owner;
}
