import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { TopicOwnerMismatchError } from '../errors/topic-owner-mismatch-error';
import type { LogFields, Logger } from '../logging/logger';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { TestBed } from '../testing/test-bed';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { partitionForKey } from '../transport/partitioner';
import { StreamwiseApp } from './streamwise-app';

interface Order {
  id: string;
  status: string;
}
const Orders = defineTopic<Order>({
  name: 'owned-orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 4,
  owner: 'order-desk',
});

@Service('order-desk')
@OwnsTopic(Orders)
class OrderDesk extends StreamService {
  place(order: Order) {
    return this.publish(Orders, order);
  }
}

@Service('order-watcher')
class OrderWatcher extends StreamService {
  readonly seen: Order[] = [];
  @EventHandler(Orders)
  on(order: Order): void {
    this.seen.push(order);
  }
}

@Service('order-board')
class OrderBoard extends StreamService {
  @Materialize(Orders)
  readonly orders!: ReadOnlyTable<string, Order>;
}

function json(order: Order): string {
  return JSON.stringify(order);
}

/** The partition a key does not hash to, on a topic of `partitions` partitions. */
function wrongPartition(key: string, partitions: number): number {
  return (partitionForKey(Buffer.from(key), partitions) + 1) % partitions;
}

function capturing(): { logger: Logger; warnings: { message: string; fields: LogFields }[] } {
  const warnings: { message: string; fields: LogFields }[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => warnings.push({ message, fields: fields ?? {} }),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warnings };
}

function reasons(bed: TestBed, topic: TopicDefinition): (string | undefined)[] {
  return bed
    .deadLetters(topic)
    .records()
    .map((r) => r.headers[DeadLetterHeaderNames.REASON]);
}

describe('the single writer end to end (memory)', () => {
  const beds: TestBed[] = [];
  afterEach(async () => {
    for (const bed of beds.splice(0).reverse()) await bed.stop();
  });
  async function start(
    services: Parameters<typeof TestBed.start>[0],
    options: Parameters<typeof TestBed.start>[1] = {},
  ): Promise<TestBed> {
    const bed = await TestBed.start(services, options);
    beds.push(bed);
    return bed;
  }
  async function drain(): Promise<void> {
    for (const bed of beds) await bed.drain();
  }

  it("rejects a forged record and tombstone in an app where the owner does not run, from the topic's definition alone", async () => {
    const broker = new MemoryBroker();
    const owner = await start([OrderDesk], { broker });
    const reader = await start([OrderWatcher, OrderBoard], { broker });
    await owner.service(OrderDesk).place({ id: 'o-1', status: 'VALIDATED' });
    await drain();
    await reader.sendRaw(Orders, {
      key: 'o-1',
      value: json({ id: 'o-1', status: 'FAILED' }),
      headers: { 'sw-producer': 'rogue-service' },
    });
    await reader.sendRaw(Orders, {
      key: 'o-1',
      value: null,
      headers: { 'sw-producer': 'rogue-service' },
    });
    await drain();

    expect(reader.service(OrderWatcher).seen).toEqual([{ id: 'o-1', status: 'VALIDATED' }]);
    expect(reasons(reader, Orders)).toEqual(['foreign-producer']);
    const board = reader.service(OrderBoard).orders;
    expect(board.get('o-1')).toEqual({ id: 'o-1', status: 'VALIDATED' });
    expect(board.skipped['foreign-producer']).toBe(2);
  });

  it('skips a forged record and a forged tombstone in a view whose owner runs in the same app', async () => {
    const bed = await start([OrderDesk, OrderBoard]);
    await bed.service(OrderDesk).place({ id: 'o-1', status: 'VALIDATED' });
    await bed.service(OrderDesk).place({ id: 'o-2', status: 'CREATED' });
    await bed.drain();
    await bed.sendRaw(Orders, {
      key: 'o-1',
      value: json({ id: 'o-1', status: 'FAILED' }),
      headers: { 'sw-producer': 'rogue-service' },
    });
    await bed.sendRaw(Orders, { key: 'o-2', value: null, headers: { 'sw-producer': 'rogue' } });
    await bed.drain();
    const board = bed.service(OrderBoard).orders;
    expect(board.get('o-1')?.status).toBe('VALIDATED');
    expect(board.get('o-2')?.status).toBe('CREATED');
    expect(board.skipped).toEqual({
      'foreign-producer': 2,
      'unsigned-record': 0,
      'key-mismatch': 0,
    });
  });

  it("dead-letters a record whose key does not hash to its partition, has no key, or is not its value's key, before any handler; a view skips them", async () => {
    const bed = await start([OrderDesk, OrderWatcher, OrderBoard]);
    const signed = { 'sw-producer': 'order-desk' };
    await bed.sendRaw(Orders, {
      key: 'o-7',
      value: json({ id: 'o-7', status: 'CREATED' }),
      partition: wrongPartition('o-7', 4),
      headers: signed,
    });
    await bed.sendRaw(Orders, {
      key: null,
      value: json({ id: 'o-8', status: 'CREATED' }),
      partition: 0,
      headers: signed,
    });
    await bed.sendRaw(Orders, {
      key: '',
      value: json({ id: 'o-8', status: 'CREATED' }),
      partition: 0,
      headers: signed,
    });
    await bed.sendRaw(Orders, {
      key: 'o-9',
      value: json({ id: 'o-10', status: 'X' }),
      headers: signed,
    });
    await bed.service(OrderDesk).place({ id: 'o-11', status: 'CREATED' });
    await bed.drain();

    expect(bed.service(OrderWatcher).seen.map((o) => o.id)).toEqual(['o-11']);
    expect(reasons(bed, Orders)).toEqual([
      'key-mismatch',
      'key-mismatch',
      'key-mismatch',
      'key-mismatch',
    ]);
    const [dead] = bed.deadLetters(Orders).records();
    expect(dead.headers[DeadLetterHeaderNames.ERROR_CODE]).toBe('SW_KEY_MISMATCH');
    const board = bed.service(OrderBoard).orders;
    expect([...board.entries()].map(([key]) => key)).toEqual(['o-11']);
    expect(board.skipped['key-mismatch']).toBe(4);
  });

  it("dead-letters unsigned records under unsignedRecords: 'dead-letter' (views skip them), unless the topic says otherwise", async () => {
    const Lenient = defineTopic<Order>({
      name: 'lenient-orders',
      entity: 'Order',
      key: (o) => o.id,
      unsignedRecords: 'accept',
    });
    @Service('lenient-watcher')
    class LenientWatcher extends StreamService {
      readonly seen: string[] = [];
      @EventHandler(Lenient)
      on(order: Order): void {
        this.seen.push(order.id);
      }
    }
    const bed = await start([OrderWatcher, OrderBoard, LenientWatcher], {
      unsignedRecords: 'dead-letter',
    });
    await bed.sendRaw(Orders, { key: 'o-1', value: json({ id: 'o-1', status: 'CREATED' }) });
    await bed.sendRaw(Lenient, { key: 'l-1', value: json({ id: 'l-1', status: 'CREATED' }) });
    await bed.drain();
    expect(bed.service(OrderWatcher).seen).toEqual([]);
    expect(reasons(bed, Orders)).toEqual(['unsigned-record']);
    expect(bed.service(OrderBoard).orders.skipped['unsigned-record']).toBe(1);
    expect(bed.service(LenientWatcher).seen).toEqual(['l-1']);
  });

  it("takes unsigned records by default, and under 'warn' logs once per partition and interval", async () => {
    const { logger, warnings } = capturing();
    const bed = await start([OrderWatcher], { unsignedRecords: 'warn', logger });
    for (let i = 0; i < 3; i++) {
      await bed.sendRaw(Orders, { key: 'o-1', value: json({ id: 'o-1', status: `S${i}` }) });
    }
    await bed.drain();
    expect(bed.service(OrderWatcher).seen).toHaveLength(3);
    const unsigned = warnings.filter((w) =>
      w.message.includes('without a producer (no sw-envelope nor sw-producer header)'),
    );
    expect(unsigned).toHaveLength(1);
    expect(unsigned[0].fields).toMatchObject({ topic: 'owned-orders' });
  });

  it('warns at start-up about a handled topic with no known owner, naming the topic and the fix', async () => {
    const Unowned = defineTopic<Order>({ name: 'unowned', entity: 'Order', key: (o) => o.id });
    @Service('unowned-reader')
    class UnownedReader extends StreamService {
      @EventHandler(Unowned)
      on(): void {}
    }
    const { logger, warnings } = capturing();
    await start([UnownedReader, OrderWatcher], { logger });
    const messages = warnings.map((w) => w.message).filter((m) => m.includes('no known owner'));
    expect(messages).toEqual([expect.stringContaining('topic "unowned" has no known owner')]);
    expect(messages[0]).toContain("owner: '<service>'");
  });

  it('fails at create when @OwnsTopic names another service than the definition, naming both', () => {
    @Service('rogue-desk')
    @OwnsTopic(Orders)
    class RogueDesk extends StreamService {}
    const create = () =>
      StreamwiseApp.create({ services: [RogueDesk], transport: new MemoryTransport() });
    expect(create).toThrow(TopicOwnerMismatchError);
    expect(create).toThrow('defined with owner "order-desk", but "rogue-desk" declares @OwnsTopic');
  });
});
