import { defineTopic } from '../codec/define-topic';
import { ErrorCodes } from '../errors/error-codes';
import { MissingServiceDecoratorError } from '../errors/missing-service-decorator-error';
import { describeService } from './describe-service';
import { EventHandler } from './event-handler';
import { Materialize } from './materialize';
import { OwnsTopic } from './owns-topic';
import { Query } from './query';
import { Service } from './service';
import { State } from './state';

interface Order {
  id: string;
  amount: number;
}

const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Payments = defineTopic<{ orderId: string }>({
  name: 'payments',
  entity: 'Payment',
  key: (p) => p.orderId,
});
const Products = defineTopic<{ sku: string }>({
  name: 'products',
  entity: 'Product',
  key: (p) => p.sku,
});
const Stock = defineTopic<{ sku: string }>({ name: 'stock', entity: 'Stock', key: (s) => s.sku });
const Reservations = defineTopic<{ id: string }>({
  name: 'reservations',
  entity: 'Reservation',
  key: (r) => r.id,
});

const bigOrders = (o: Order): boolean => o.amount >= 100;

@Service('inventory-service', { startFrom: 'latest', retry: { attempts: 5 } })
@OwnsTopic(Stock, Reservations)
class InventoryService {
  @Materialize(Products)
  products!: unknown;

  @Materialize(Orders, { mode: 'partitioned', store: 'persistent' })
  openOrders!: unknown;

  @EventHandler(Orders, { when: bigOrders, retry: { attempts: 2, initialDelayMs: 0 } })
  reserve(): void {}

  @EventHandler(Payments)
  confirm(): void {}

  @EventHandler(Orders)
  audit(): void {}

  @Query('GET /stock/:warehouse/:sku')
  stock(): void {}

  @Query('POST /reservations')
  reserveManually(): void {}
}

describe('describeService', () => {
  const description = describeService(InventoryService);

  it('names the class and the service and keeps the options', () => {
    expect(description.target).toBe(InventoryService);
    expect(description.className).toBe('InventoryService');
    expect(description.name).toBe('inventory-service');
    expect(description.options).toEqual({ startFrom: 'latest', retry: { attempts: 5 } });
  });

  it('lists the owned topics', () => {
    expect(description.owns).toEqual([Stock, Reservations]);
    expect(description.owns[0]).toBe(Stock);
  });

  it('lists every handler with its method, topic, filter and retry', () => {
    expect(description.handlers).toEqual([
      {
        method: 'reserve',
        topic: Orders,
        when: bigOrders,
        retry: { attempts: 2, initialDelayMs: 0 },
      },
      { method: 'confirm', topic: Payments, when: undefined, retry: undefined },
      { method: 'audit', topic: Orders, when: undefined, retry: undefined },
    ]);
    expect(description.handlers[0].when).toBe(bigOrders);
  });

  it('lists materialized tables with defaults filled in', () => {
    expect(description.materialized).toEqual([
      { property: 'products', topic: Products, mode: 'global', store: 'memory' },
      { property: 'openOrders', topic: Orders, mode: 'partitioned', store: 'persistent' },
    ]);
  });

  it('lists queries with their params in path order', () => {
    expect(description.queries).toEqual([
      {
        method: 'stock',
        httpMethod: 'GET',
        path: '/stock/:warehouse/:sku',
        params: ['warehouse', 'sku'],
      },
      { method: 'reserveManually', httpMethod: 'POST', path: '/reservations', params: [] },
    ]);
  });

  it('lists each consumed topic once, across handlers and materialized tables', () => {
    const names = description.consumes.map((t) => t.name);
    expect(names).toHaveLength(3);
    expect([...names].sort()).toEqual(['orders', 'payments', 'products']);
    expect(description.consumes).toContain(Orders);
    expect(description.consumes).toContain(Payments);
    expect(description.consumes).toContain(Products);
  });

  it('does not count owned-only topics as consumed', () => {
    expect(description.consumes).not.toContain(Stock);
    expect(description.consumes).not.toContain(Reservations);
  });

  it('describes a service with no members as empty lists', () => {
    @Service('idle-service')
    class IdleService {}
    const idle = describeService(IdleService);
    expect(idle).toMatchObject({
      name: 'idle-service',
      options: {},
      owns: [],
      handlers: [],
      materialized: [],
      queries: [],
      consumes: [],
    });
  });

  it('throws MissingServiceDecoratorError for an undecorated class, naming it', () => {
    class NotAService {
      @EventHandler(Orders)
      handle(): void {}
    }
    expect(() => describeService(NotAService)).toThrow(MissingServiceDecoratorError);
    try {
      describeService(NotAService);
    } catch (error) {
      expect((error as MissingServiceDecoratorError).code).toBe(
        ErrorCodes.MISSING_SERVICE_DECORATOR,
      );
      expect((error as Error).message).toMatch(/^NotAService is not a streamwise service/);
    }
    expect.assertions(3);
  });
});

describe('describeService and inheritance', () => {
  @Service('base-service')
  @OwnsTopic(Stock)
  class BaseService {
    @EventHandler(Orders)
    onOrder(): void {}
  }

  @Service('derived-service')
  class DerivedService extends BaseService {
    @EventHandler(Payments)
    onPayment(): void {}
  }

  it('a subclass with its own @Service inherits the parent handlers and owned topics', () => {
    const derived = describeService(DerivedService);
    expect(derived.name).toBe('derived-service');
    expect(derived.handlers.map((h) => `${h.method}:${h.topic.name}`)).toEqual([
      'onOrder:orders',
      'onPayment:payments',
    ]);
    expect(derived.owns).toEqual([Stock]);
    expect(derived.consumes.map((t) => t.name).sort()).toEqual(['orders', 'payments']);
  });

  it("the subclass's handlers do not leak into the parent", () => {
    const base = describeService(BaseService);
    expect(base.name).toBe('base-service');
    expect(base.handlers.map((h) => h.method)).toEqual(['onOrder']);
    expect(base.consumes.map((t) => t.name)).toEqual(['orders']);
  });

  it('a subclass without its own @Service is not a service', () => {
    class Unmarked extends BaseService {}
    expect(() => describeService(Unmarked)).toThrow(MissingServiceDecoratorError);
    expect(() => describeService(Unmarked)).toThrow(/^Unmarked is not a streamwise service/);
  });
});

describe('describeService and key-ordered concurrency', () => {
  it('refuses concurrency on a service with partition state, naming the state', () => {
    @Service('stock-service', { concurrency: { perPartition: 8 } })
    class StockService {
      @State('reserved') reserved!: unknown;

      @EventHandler(Orders)
      onOrder(): void {}
    }
    expect(() => describeService(StockService)).toThrow(
      '@Service on StockService: concurrency.perPartition 8 cannot be combined with partition state (@State reserved): the records of a partition share it. Drop the concurrency option, or move the state into a service of its own.',
    );
  });

  it('allows concurrency beside a global table, which every key reads', () => {
    @Service('pricing-service', { concurrency: { perPartition: 8 } })
    class PricingService {
      @Materialize(Products) products!: unknown;

      @EventHandler(Orders)
      onOrder(): void {}
    }
    expect(describeService(PricingService).options.concurrency).toEqual({ perPartition: 8 });
  });
});
