import { defineTopic } from '../../src/codec/define-topic';
import { EventHandler } from '../../src/decorators/event-handler';
import { OwnsTopic } from '../../src/decorators/owns-topic';
import { Service } from '../../src/decorators/service';
import type { TopicDefinition } from '../../src/model/topics/topic-definition';
import type { ServiceClass } from '../../src/runtime/service-class';
import { StreamService } from '../../src/runtime/stream-service';

export interface Item {
  id: number;
  key: string;
}

export interface RelayTopology {
  readonly input: TopicDefinition<Item, string>;
  readonly output: TopicDefinition<Item, string>;
  readonly relay: ServiceClass;
}

export const RELAY_PARTITIONS = 6;

/** A service that copies every input record to an output topic it owns: the fault tests' workload. */
export function relayTopology(names: {
  input: string;
  output: string;
  group: string;
  exactlyOnce: boolean;
}): RelayTopology {
  const input = defineTopic<Item>({
    name: names.input,
    entity: 'Item',
    key: (i) => i.key,
    partitions: RELAY_PARTITIONS,
  });
  const output = defineTopic<Item>({
    name: names.output,
    entity: 'Relayed',
    key: (i) => i.key,
    partitions: RELAY_PARTITIONS,
  });

  @Service(names.group, {
    exactlyOnce: names.exactlyOnce,
    retry: { attempts: 3, initialDelayMs: 50 },
  })
  @OwnsTopic(output)
  class Relay extends StreamService {
    @EventHandler(input)
    async relay(item: Item): Promise<void> {
      await this.publish(output, item);
    }
  }
  return { input, output, relay: Relay };
}
