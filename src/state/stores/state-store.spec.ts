import { defineTopic } from '../../codec/define-topic';
import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { State } from '../../decorators/state';
import { ConfigurationError } from '../../errors/configuration-error';
import { SingleWriterViolationError } from '../../errors/single-writer-violation-error';
import { StateStoreWriteError } from '../../errors/state-store-write-error';
import type { EventContext } from '../../model/service/event-context';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { MemoryBroker } from '../../transport/memory/memory-broker';
import { partitionForKey } from '../../transport/partitioner';
import type { StateStore } from './state-store';

interface Reservation {
  order: string;
  product: string;
  quantity: number;
  fail?: boolean;
}
/** Orders keyed by product, so each product's reservations have one writer. */
const ByProduct = defineTopic<Reservation>({
  name: 'orders-by-product',
  entity: 'Order',
  key: (r) => r.product,
  partitions: 4,
});
const Results = defineTopic<{ order: string; reservedAfter: number }>({
  name: 'reservation-results',
  entity: 'Result',
  key: (r) => r.order,
  partitions: 4,
});

@Service('order-source')
@OwnsTopic(ByProduct)
class OrderSource extends StreamService {}

@Service('reservations-service', { retry: { attempts: 2, initialDelayMs: 1 } })
@OwnsTopic(Results)
class ReservationsService extends StreamService {
  @State('reserved')
  readonly reserved!: StateStore<string, number>;

  @EventHandler(ByProduct)
  async reserve(r: Reservation): Promise<void> {
    const total = (this.reserved.get(r.product) ?? 0) + r.quantity;
    this.reserved.put(r.product, total);
    if (r.fail === true) throw new Error('fails after writing');
    await this.publish(Results, { order: r.order, reservedAfter: total });
  }
}

const products = ['jumpers', 'underpants', 'stockings', 'hats', 'scarves', 'gloves'];

describe('@State stores with changelogs', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('keeps state per key, writes every change to a compacted changelog the service owns', async () => {
    bed = await TestBed.start([OrderSource, ReservationsService]);
    await bed.send(ByProduct, { order: 'o1', product: 'jumpers', quantity: 2 });
    await bed.send(ByProduct, { order: 'o2', product: 'jumpers', quantity: 3 });
    await bed.drain();
    expect(
      bed
        .topic(Results)
        .values()
        .map((r) => r.reservedAfter),
    ).toEqual([2, 5]);
    expect(bed.service(ReservationsService).reserved.get('jumpers')).toBe(5);
    const changelog = bed.topic('reservations-service-reserved-changelog').records();
    expect(changelog.map((r) => [r.key, r.value])).toEqual([
      ['jumpers', 2],
      ['jumpers', 5],
    ]);
    expect(
      await bed.app.transport.describeTopic('reservations-service-reserved-changelog'),
    ).toEqual(expect.objectContaining({ compacted: true, partitions: 4 }));
    expect(bed.app.writers.ownerOf('reservations-service-reserved-changelog')).toBe(
      'reservations-service',
    );
  });

  it('is restored from its changelog by the next instance, before any record is handled', async () => {
    const broker = new MemoryBroker();
    bed = await TestBed.start([OrderSource, ReservationsService], { broker });
    for (const [i, product] of products.entries())
      await bed.send(ByProduct, { order: `a${i}`, product, quantity: i + 1 });
    await bed.drain();
    await bed.app.stop();

    const next = await bed.startInstance([ReservationsService]);
    for (const [i, product] of products.entries())
      await bed.send(ByProduct, { order: `b${i}`, product, quantity: 10 });
    await bed.drain();
    expect(products.map((p) => next.service(ReservationsService).reserved.get(p))).toEqual([
      11, 12, 13, 14, 15, 16,
    ]);
  });

  it('moves shards with partitions on a rebalance: the survivor restores what it takes over', async () => {
    bed = await TestBed.start([OrderSource, ReservationsService]);
    const second = await bed.startInstance([ReservationsService]);
    for (const product of products)
      await bed.send(ByProduct, { order: `x-${product}`, product, quantity: 1 });
    await bed.drain();
    const first = bed.service(ReservationsService).reserved;
    expect(first.size + second.service(ReservationsService).reserved.size).toBe(products.length);
    expect(first.size).toBeLessThan(products.length);

    await second.stop();
    for (const product of products)
      await bed.send(ByProduct, { order: `y-${product}`, product, quantity: 1 });
    await bed.drain();
    expect(first.size).toBe(products.length);
    expect(products.map((p) => first.get(p))).toEqual(products.map(() => 2));
  });

  it('leaves no trace of a failed attempt, in the store or the changelog', async () => {
    bed = await TestBed.start([OrderSource, ReservationsService]);
    await bed.send(ByProduct, { order: 'o1', product: 'hats', quantity: 4 });
    await bed.send(ByProduct, { order: 'o2', product: 'hats', quantity: 100, fail: true });
    await bed.send(ByProduct, { order: 'o3', product: 'hats', quantity: 1 });
    await bed.drain();
    expect(bed.service(ReservationsService).reserved.get('hats')).toBe(5);
    expect(bed.topic('reservations-service-reserved-changelog').values()).toEqual([4, 5]);
    expect(bed.deadLetters(ByProduct).count).toBe(1);
  });

  it('refuses writes from outside its handlers and for keys of another partition', async () => {
    @Service('sloppy-service')
    @OwnsTopic(Results)
    class SloppyService extends StreamService {
      @State('counts')
      readonly counts!: StateStore<string, number>;
      @EventHandler(ByProduct)
      count(_r: Reservation, ctx: EventContext): void {
        // A key that hashes to another partition than the record being handled.
        let i = 0;
        while (partitionForKey(Buffer.from(`k${i}`), 4) === ctx.partition) i++;
        this.counts.put(`k${i}`, 1);
      }
    }
    bed = await TestBed.start([OrderSource, SloppyService]);
    expect(() => bed.service(SloppyService).counts.put('x', 1)).toThrow(StateStoreWriteError);
    expect(() => bed.service(SloppyService).counts.put('x', 1)).toThrow(
      'only handlers of "sloppy-service" may write it',
    );
    await bed.send(ByProduct, { order: 'o1', product: 'jumpers', quantity: 1 });
    await bed.drain();
    const [dead] = bed.deadLetters(ByProduct).records();
    expect(dead.headers['sw-dlq-error']).toMatch(
      /belongs to partition \d, but the record being handled is on partition \d/,
    );
  });

  it('needs co-partitioned inputs, and nobody else may write its changelog', async () => {
    const Other = defineTopic<Reservation>({
      name: 'other-input',
      entity: 'Order',
      key: (r) => r.product,
      partitions: 2,
    });
    @Service('mixed-service')
    class MixedService extends StreamService {
      @State('counts')
      readonly counts!: StateStore<string, number>;
      @EventHandler(ByProduct)
      a(): void {}
      @EventHandler(Other)
      b(): void {}
    }
    await expect(TestBed.start([MixedService])).rejects.toBeInstanceOf(ConfigurationError);

    @Service('intruder-service')
    class IntruderService extends StreamService {
      write() {
        const changelog = defineTopic<number>({
          name: 'reservations-service-reserved-changelog',
          entity: 'X',
          key: () => 'k',
        });
        return this.publish(changelog, 1);
      }
    }
    bed = await TestBed.start([OrderSource, ReservationsService, IntruderService]);
    await expect(bed.service(IntruderService).write()).rejects.toBeInstanceOf(
      SingleWriterViolationError,
    );
  });
});
