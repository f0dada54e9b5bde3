import { defineTopic } from '../../src/codec/define-topic';
import { EventHandler } from '../../src/decorators/event-handler';
import { OwnsTopic } from '../../src/decorators/owns-topic';
import { Service } from '../../src/decorators/service';
import { State } from '../../src/decorators/state';
import type { TopicDefinition } from '../../src/model/topics/topic-definition';
import type { ServiceClass } from '../../src/runtime/service-class';
import { StreamService } from '../../src/runtime/stream-service';
import type { StateStore } from '../../src/state/stores/state-store';

export interface Add {
  key: string;
  seq: number;
}
export interface Sum {
  key: string;
  total: number;
}

export const SUM_PARTITIONS = 6;

/** A stateful service: a running count per key in a @State store, each new total published. */
export function summingTopology(names: { input: string; output: string; group: string }): {
  input: TopicDefinition<Add, string>;
  output: TopicDefinition<Sum, string>;
  summer: ServiceClass;
} {
  const input = defineTopic<Add>({
    name: names.input,
    entity: 'Add',
    key: (a) => a.key,
    partitions: SUM_PARTITIONS,
  });
  const output = defineTopic<Sum>({
    name: names.output,
    entity: 'Sum',
    key: (s) => s.key,
    partitions: SUM_PARTITIONS,
  });

  @Service(names.group, { exactlyOnce: true })
  @OwnsTopic(output)
  class Summer extends StreamService {
    @State('totals')
    readonly totals!: StateStore<string, number>;

    @EventHandler(input)
    async add(add: Add): Promise<void> {
      const total = (this.totals.get(add.key) ?? 0) + 1;
      this.totals.put(add.key, total);
      await this.publish(output, { key: add.key, total });
    }
  }
  return { input, output, summer: Summer };
}
