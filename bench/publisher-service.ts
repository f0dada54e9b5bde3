import type { PublishedEvent, ServiceClass, TopicDefinition } from '../src';
import { defineTopic, OwnsTopic, Service, StreamService } from '../src';
import type { BenchEvent } from './records';

/** A service that only publishes: `send` is StreamService.publish made callable from outside. */
export abstract class BenchPublisher extends StreamService {
  abstract send(event: BenchEvent): Promise<PublishedEvent>;
}

export interface PublisherTopology {
  readonly topic: TopicDefinition<BenchEvent, string>;
  readonly service: ServiceClass<BenchPublisher>;
}

/** The produce scenarios' topic (a fresh name per run). */
export function benchTopic(name: string, partitions: number): TopicDefinition<BenchEvent, string> {
  return defineTopic<BenchEvent>({
    name,
    entity: 'BenchEvent',
    key: (event) => event.key,
    id: (event) => event.id,
    partitions,
  });
}

/** The publish scenarios' service, owning `topicName` (a fresh one per run). */
export function publisherTopology(
  serviceName: string,
  topicName: string,
  partitions: number,
): PublisherTopology {
  const topic = benchTopic(topicName, partitions);

  @Service(serviceName)
  @OwnsTopic(topic)
  class Publisher extends BenchPublisher {
    send(event: BenchEvent): Promise<PublishedEvent> {
      return this.publish(topic, event);
    }
  }
  return { topic, service: Publisher };
}
