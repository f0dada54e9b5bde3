import type { Logger } from '../../logging/logger';
import type { TopicRecords } from '../kafka/kafka-records';
import type { MemberFactory } from '../kafka/self-healing-subscription';
import { AtLeastOnceProcessor } from '../record-processor';
import type { SubscriptionOptions } from '../transport';
import type { ResolvedPlatformaticConfig } from './platformatic-config';
import type { PlatformaticConnection } from './platformatic-connection';
import { PlatformaticExactlyOnceProcessor } from './platformatic-exactly-once';
import { PlatformaticSubscription } from './platformatic-subscription';

/**
 * Makes the group members of one subscription: a new consumer and processor each time, so a
 * member that replaces one that lost its group finds the group coordinator again.
 */
export function platformaticMemberFactory(deps: {
  readonly connection: PlatformaticConnection;
  readonly options: SubscriptionOptions;
  readonly config: ResolvedPlatformaticConfig;
  /** The at-least-once send, bound to the transport's connection. */
  readonly send: (entries: readonly TopicRecords[]) => Promise<void>;
  readonly logger: Logger;
  readonly onStopped: () => void;
}): MemberFactory<PlatformaticSubscription> {
  const { connection, options, config, send, logger } = deps;
  return (onFatal) => {
    const processor =
      options.exactlyOnce === true
        ? new PlatformaticExactlyOnceProcessor({
            config,
            groupId: options.groupId,
            admin: connection.topics.admin,
            membership: (partition) => subscription.membership(partition),
            sendLate: send,
            logger,
          })
        : new AtLeastOnceProcessor(send);
    const subscription: PlatformaticSubscription = new PlatformaticSubscription({
      options,
      config,
      processor,
      validate: (topic, records) => connection.writer.validate(topic, records),
      logger,
      onStopped: deps.onStopped,
      onFatal,
    });
    return subscription;
  };
}
