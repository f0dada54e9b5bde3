import type { ReadOnlyTable, ServiceClass, TopicDefinition } from '../src';
import { defineTopic, Materialize, OwnsTopic, Query, Service, StreamService } from '../src';

/** What the query scenarios read back: one small entity per key. */
export interface QueryItem {
  readonly id: string;
  readonly payload: string;
}

export interface QueryTopology {
  readonly items: TopicDefinition<QueryItem, string>;
  readonly service: ServiceClass;
}

/** The key of the i-th item the benchmark writes (and asks for). */
export function queryKey(index: number): string {
  return `item-${index}`;
}

/**
 * A service holding its partitions of a compacted topic in a partitioned view and answering
 * `GET /items/:id` key-routed: the instance asked answers itself when it holds the key's
 * partition, and forwards the request to the instance that does otherwise.
 */
export function queryTopology(
  topicName: string,
  serviceName: string,
  partitions: number,
): QueryTopology {
  const items = defineTopic<QueryItem>({
    name: topicName,
    entity: 'QueryItem',
    key: (item) => item.id,
    partitions,
    compacted: true,
  });

  @Service(serviceName)
  @OwnsTopic(items)
  class ItemsService extends StreamService {
    @Materialize(items, { mode: 'partitioned' })
    readonly items!: ReadOnlyTable<string, QueryItem>;

    @Query('GET /items/:id', { routeBy: 'id' })
    item(id: string): QueryItem | undefined {
      return this.items.get(id);
    }
  }
  return { items, service: ItemsService };
}
