import { type Broker, type Consumer, kGetConnection } from '@platformatic/kafka';

type GetConnection = Consumer[typeof kGetConnection];

/**
 * Makes `client` answer a connection to a node missing from the cluster's metadata with
 * `missing()`'s error, where @platformatic/kafka 1.x throws.
 *
 * Its consumer and transactional producer keep the node id of the group or transaction
 * coordinator they found first, and look it up in the metadata for every request to it. Once
 * that node is down the lookup finds nothing and the client throws from inside a network
 * callback: the request's promise never settles, and whatever waits for it (a commit, a stop)
 * waits forever (test/faults/node-failover). With an error instead, the caller's recovery runs
 * (a new consumer or producer, which finds the coordinator again).
 */
export function answerMissingNodes(
  client: { [kGetConnection]: GetConnection },
  missing: () => Error,
): void {
  const getConnection: GetConnection = client[kGetConnection].bind(client);
  client[kGetConnection] = (broker: Broker | undefined, callback) => {
    if (broker === undefined) callback(missing());
    else getConnection(broker, callback);
  };
}
