import type { Logger } from '../../logging/logger';
import { AtLeastOnceProcessor, type RecordProcessor, type SendFn } from '../record-processor';
import type { SubscriptionOptions } from '../transport';
import { ExactlyOnceProcessor } from './exactly-once-processor';
import type { ResolvedKafkaConfig } from './kafka-config';
import { type KafkaConnection, kafkaPrincipal } from './kafka-connection';
import { withTransportError } from './kafka-errors';
import { KafkaSubscription } from './kafka-subscription';
import type { MemberFactory } from './self-healing-subscription';

/**
 * Makes the group members of one subscription: a new member (consumer and processor) each time,
 * so a replacement starts from a clean slate.
 */
export function kafkaMemberFactory(
  connection: KafkaConnection,
  options: SubscriptionOptions,
  config: ResolvedKafkaConfig,
  logger: Logger,
): MemberFactory {
  // Bound to this connection rather than to the transport's live one: handlers that are
  // finishing while disconnect() stops their subscription can still write their output.
  const send: SendFn = (entries) => {
    const topics = entries.map((entry) => entry.topic);
    return withTransportError(
      `produce to ${[...new Set(topics)].join(', ')}`,
      () =>
        connection.producer.use(topics, (sender) => connection.writer.writeMany(sender, entries)),
      kafkaPrincipal(config),
    );
  };
  return (onFatalCrash) => {
    const processor: RecordProcessor =
      options.exactlyOnce === true
        ? new ExactlyOnceProcessor({
            kafka: connection.kafka,
            groupId: options.groupId,
            writer: connection.writer,
            committedOffset: async ({ topic, partition }) =>
              (await connection.offsets.committedOffsets(options.groupId, topic))[partition],
            sendLate: send,
            logger,
          })
        : new AtLeastOnceProcessor(send);
    return new KafkaSubscription({
      kafka: connection.kafka,
      options,
      config,
      processor,
      validate: (topic, records) => connection.writer.validate(topic, records),
      logger,
      onStopped: () => undefined,
      onFatalCrash,
    });
  };
}
