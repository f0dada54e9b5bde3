import { defineTopic } from '../../src/codec/define-topic';
import { Materialize } from '../../src/decorators/materialize';
import { OwnsTopic } from '../../src/decorators/owns-topic';
import { Query } from '../../src/decorators/query';
import { Service } from '../../src/decorators/service';
import { StreamService } from '../../src/runtime/stream-service';
import type { ReadOnlyTable } from '../../src/state/tables/read-only-table';

/** A partitioned orders view answered by a key-routed GET: the subject of routing tests. */
export interface Order {
  id: string;
  state: string;
}

export const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 4,
  compacted: true,
});

@Service('orders-service')
@OwnsTopic(Orders)
export class OrdersService extends StreamService {
  @Materialize(Orders, { mode: 'partitioned' })
  readonly orders!: ReadOnlyTable<string, Order>;

  @Query('GET /orders/:id', { routeBy: 'id' })
  order(id: string): Order | undefined {
    return this.orders.get(id);
  }
}

/** Keys spread over the topic's four partitions. */
export const orderIds = Array.from({ length: 16 }, (_, i) => `order-${i}`);
