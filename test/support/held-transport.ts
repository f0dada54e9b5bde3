import { deferred } from '../../src/transport/kafka/deferred';
import { MemoryTransport } from '../../src/transport/memory/memory-transport';
import type { Subscription, SubscriptionOptions } from '../../src/transport/transport';

/**
 * The memory transport with two steps held until the test lets them go: a group join (as a real
 * one takes a while) and the disconnect at the end of a stop.
 */
export class HeldTransport extends MemoryTransport {
  readonly joins = deferred();
  readonly disconnects = deferred();
  readonly joining: string[] = [];
  readonly joined: string[] = [];

  override async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    this.joining.push(options.groupId);
    await this.joins.promise;
    const subscription = await super.subscribe(options);
    this.joined.push(options.groupId);
    return subscription;
  }

  override async disconnect(): Promise<void> {
    await this.disconnects.promise;
    return super.disconnect();
  }
}
