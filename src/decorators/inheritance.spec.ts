import { defineTopic } from '../codec/define-topic';
import { describeService } from './describe-service';
import { EventHandler } from './event-handler';
import { Materialize } from './materialize';
import { Query } from './query';
import { Service } from './service';

const Orders = defineTopic<{ id: string }>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Stock = defineTopic<{ id: string }>({ name: 'stock', entity: 'Stock', key: (s) => s.id });

class BaseOrders {
  @EventHandler(Orders)
  onOrder(): void {}

  @Materialize(Stock)
  stock!: unknown;

  @Query('GET /orders/:id')
  order(): void {}
}

describe('decorators and inheritance', () => {
  it('lets a subclass override a decorated member, replacing the parent’s declaration', () => {
    @Service('special-orders')
    class SpecialOrders extends BaseOrders {
      @EventHandler(Orders, { when: () => true })
      override onOrder(): void {}

      @Materialize(Stock, { mode: 'partitioned' })
      override stock!: unknown;

      @Query('GET /orders/:orderId')
      override order(): void {}
    }
    const description = describeService(SpecialOrders);
    expect(description.handlers).toHaveLength(1);
    expect(description.handlers[0].when).toBeDefined();
    expect(description.materialized).toEqual([
      expect.objectContaining({ property: 'stock', mode: 'partitioned' }),
    ]);
    expect(description.queries).toEqual([
      expect.objectContaining({ path: '/orders/:orderId', params: ['orderId'] }),
    ]);
  });

  it('keeps the parent’s metadata unchanged', () => {
    @Service('base-orders')
    class PlainOrders extends BaseOrders {}
    const description = describeService(PlainOrders);
    expect(description.handlers[0].when).toBeUndefined();
    expect(description.materialized[0].mode).toBe('global');
    expect(description.queries[0].path).toBe('/orders/:id');
  });
});
