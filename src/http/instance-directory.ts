/** A running instance of a service, reachable over HTTP at `url` (e.g. `http://10.0.0.7:8080`). */
export interface InstanceAddress {
  readonly instanceId: string;
  readonly url: string;
}

/**
 * Who owns which partition now, for key-routed queries: the instance holding a partition's state
 * answers for its keys. Backed by the consumer group's assignment; answers undefined while a
 * rebalance leaves a partition without a holder.
 */
export interface InstanceDirectory {
  readonly self: { readonly instanceId: string };
  holderOf(service: string, topic: string, partition: number): InstanceAddress | undefined;
}
