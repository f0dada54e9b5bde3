import type { ChangeNotifier } from './change-notifier';

/** A running instance of a service, reachable over HTTP at `url` (e.g. `http://10.0.0.7:8080`). */
export interface InstanceAddress {
  readonly instanceId: string;
  readonly url: string;
}

/**
 * Who owns which partition now, for key-routed queries: the instance holding a partition's state
 * answers for its keys. Backed by the consumer group's assignment; answers undefined while a
 * rebalance leaves a partition without a holder; onChange says when to ask again (a request
 * waits for a holder instead of failing at once).
 */
export interface InstanceDirectory extends ChangeNotifier {
  readonly self: { readonly instanceId: string };
  holderOf(service: string, topic: string, partition: number): InstanceAddress | undefined;
}
