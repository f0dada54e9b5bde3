import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { ENVELOPE_HEADER, envelopeHeaderValue } from '../../model/topics/envelope-header';
import { DeadLetterHeaderNames, HeaderNames } from '../../model/topics/header-names';
import type { JsonSchema } from '../../model/topics/topic-definition';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { defineTopic } from '../define-topic';
import { InMemorySchemaRegistry } from '../registry/in-memory-schema-registry';
import { encodeWireFormat } from '../registry/wire-format';

// Three versions of one event, each a BACKWARD-compatible step: v2 adds `currency`, v3 `cents`.
interface OrderV1 {
  id: string;
  amount: number;
}
interface OrderV2 extends OrderV1 {
  currency?: string;
}
interface OrderV3 extends OrderV2 {
  cents?: number;
}

function orderSchema(properties: Record<string, unknown>): JsonSchema {
  return {
    type: 'object',
    properties: { id: { type: 'string' }, amount: { type: 'number' }, ...properties },
    required: ['id', 'amount'],
    additionalProperties: false,
  };
}
const v1 = orderSchema({});
const v2 = orderSchema({ currency: { type: 'string' } });
const v3 = orderSchema({ currency: { type: 'string' }, cents: { type: 'integer' } });

const topic = { name: 'versioned-orders', entity: 'Order', key: (o: OrderV1) => o.id };
const OrdersV1 = defineTopic<OrderV1>({ ...topic, version: 1, schema: v1 });
const OrdersV2 = defineTopic<OrderV2>({ ...topic, version: 2, schema: v2 });
const Orders = defineTopic<OrderV3>({
  ...topic,
  version: 3,
  schema: v3,
  upcast: {
    1: (old) => ({ currency: 'EUR', ...(old as OrderV1) }),
    2: (old) => {
      const order = old as OrderV2;
      return { ...order, cents: Math.round(order.amount * 100) };
    },
  },
});

@Service('orders-service')
@OwnsTopic(Orders)
class OrdersService extends StreamService {
  place(order: OrderV3) {
    return this.publish(Orders, order);
  }
}

@Service('audit-service')
class AuditService extends StreamService {
  readonly seen: OrderV3[] = [];
  @EventHandler(Orders)
  audit(order: OrderV3): void {
    this.seen.push(order);
  }
}

describe('upcasting on TestBed', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it('hands handlers v3 values for records written at v1, v2 and v3', async () => {
    // The registry remembers what earlier deploys registered: v1, then v2.
    const registry = new InMemorySchemaRegistry();
    await registry.register('versioned-orders-value', v1, 'JSON');
    await registry.register('versioned-orders-value', v2, 'JSON');
    bed = await TestBed.start([OrdersService, AuditService], { schemaRegistry: registry });

    await bed.send(OrdersV1, { id: 'a', amount: 1.5 });
    await bed.send(OrdersV2, { id: 'b', amount: 2, currency: 'USD' });
    await bed.service(OrdersService).place({ id: 'c', amount: 3, currency: 'GBP', cents: 300 });
    await bed.drain();

    expect(
      bed
        .topic(Orders)
        .records()
        .map((r) => r.envelope?.schemaVersion),
    ).toEqual(['1', '2', '3']);
    expect(bed.service(AuditService).seen).toEqual([
      { id: 'a', amount: 1.5, currency: 'EUR', cents: 150 },
      { id: 'b', amount: 2, currency: 'USD', cents: 200 },
      { id: 'c', amount: 3, currency: 'GBP', cents: 300 },
    ]);
    expect(bed.deadLetters(Orders).count).toBe(0);
    expect(await registry.latestVersion('versioned-orders-value')).toBe(3);
  });

  it('checks an old record against its own schema before upcasting it', async () => {
    const registry = new InMemorySchemaRegistry();
    await registry.register('versioned-orders-value', v1, 'JSON');
    await registry.register('versioned-orders-value', v2, 'JSON');
    bed = await TestBed.start([OrdersService, AuditService], { schemaRegistry: registry });
    // A v1 record with v3's field: v3 would accept it, v1 does not.
    const v1Id = await registry.register('versioned-orders-value', v1, 'JSON');
    await bed.sendRaw(Orders, {
      key: 'x',
      value: encodeWireFormat(
        v1Id,
        Buffer.from(JSON.stringify({ id: 'x', amount: 1, cents: 100 })),
      ),
      headers: { [HeaderNames.SCHEMA_VERSION]: '1', [HeaderNames.PRODUCER]: 'orders-service' },
    });
    await bed.drain();
    const [dead] = bed.deadLetters(Orders).records();
    expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('invalid');
    expect(JSON.parse(dead.headers[DeadLetterHeaderNames.VALIDATION])).toEqual([
      '/cents is not allowed',
    ]);
    expect(bed.service(AuditService).seen).toEqual([]);
  });

  describe('without a registry (old schemas unknown)', () => {
    async function sendV1(value: { id: string; amount: unknown }): Promise<void> {
      await bed?.sendRaw(Orders, {
        key: value.id,
        value: JSON.stringify(value),
        headers: { [HeaderNames.SCHEMA_VERSION]: '1', [HeaderNames.PRODUCER]: 'orders-service' },
      });
    }

    it('reads the version a record was written at from its sw-envelope header too', async () => {
      bed = await TestBed.start([OrdersService, AuditService], { schemaRegistry: 'none' });
      await bed.sendRaw(Orders, {
        key: 'e',
        value: JSON.stringify({ id: 'e', amount: 2.5 }),
        headers: {
          [ENVELOPE_HEADER]: envelopeHeaderValue({
            schemaVersion: '1',
            producer: 'orders-service',
            eventType: 'Order',
            eventId: 'orders-service-Order-e-v1',
          }),
        },
      });
      await bed.drain();
      expect(bed.service(AuditService).seen).toEqual([
        { id: 'e', amount: 2.5, currency: 'EUR', cents: 250 },
      ]);
    });

    it('upcasts, then checks the result against the current schema', async () => {
      bed = await TestBed.start([OrdersService, AuditService], { schemaRegistry: 'none' });
      await sendV1({ id: 'a', amount: 1.5 });
      await sendV1({ id: 'b', amount: 'lots' });
      await bed.drain();
      expect(bed.service(AuditService).seen).toEqual([
        { id: 'a', amount: 1.5, currency: 'EUR', cents: 150 },
      ]);
      const [dead] = bed.deadLetters(Orders).records();
      expect(JSON.parse(dead.headers[DeadLetterHeaderNames.VALIDATION])).toEqual([
        'after upcasting from version 1: /amount must be number',
        'after upcasting from version 1: /cents must be integer',
      ]);
    });

    it('dead-letters a record whose version has no upcast path, saying how to add one', async () => {
      const Late = defineTopic<OrderV3>({
        ...topic,
        name: 'late-orders',
        version: 3,
        schema: v3,
        upcast: { 2: (old) => old },
      });
      @Service('late-audit')
      class LateAudit extends StreamService {
        readonly seen: OrderV3[] = [];
        @EventHandler(Late)
        audit(order: OrderV3): void {
          this.seen.push(order);
        }
      }
      bed = await TestBed.start([LateAudit], { schemaRegistry: 'none' });
      await bed.sendRaw(Late, {
        key: 'k',
        value: JSON.stringify({ id: 'k', amount: 1 }),
        headers: { [HeaderNames.SCHEMA_VERSION]: '1' },
      });
      await bed.drain();
      expect(bed.service(LateAudit).seen).toEqual([]);
      const [dead] = bed.deadLetters(Late).records();
      expect(dead.headers).toMatchObject({
        [DeadLetterHeaderNames.REASON]: 'invalid',
        [DeadLetterHeaderNames.ERROR_CODE]: 'SW_UPCAST_FAILED',
        [DeadLetterHeaderNames.ATTEMPTS]: '0',
      });
      expect(dead.headers[DeadLetterHeaderNames.ERROR_MESSAGE]).toBe(
        'Cannot upcast a record on "late-orders" from schema version 1: the topic is at version 3 and its upcasters start at version 2. The record was sent to "late-orders.dlq"; add or fix the upcaster in defineTopic({ upcast: { 1: (old) => ... } }), then replay it from there.',
      );
    });

    it('dead-letters a record whose upcaster throws, and one whose version header is garbage', async () => {
      const Fragile = defineTopic<OrderV3>({
        ...topic,
        name: 'fragile-orders',
        version: 2,
        upcast: {
          1: () => {
            throw new Error('no amount to convert');
          },
        },
      });
      @Service('fragile-audit')
      class FragileAudit extends StreamService {
        @EventHandler(Fragile)
        audit(): void {}
      }
      bed = await TestBed.start([FragileAudit], { schemaRegistry: 'none' });
      await bed.sendRaw(Fragile, {
        key: 'k',
        value: '{}',
        headers: { [HeaderNames.SCHEMA_VERSION]: '1' },
      });
      await bed.sendRaw(Fragile, {
        key: 'k',
        value: '{}',
        headers: { [HeaderNames.SCHEMA_VERSION]: 'v2' },
      });
      await bed.drain();
      const dead = bed.deadLetters(Fragile).records();
      expect(dead.map((d) => d.headers[DeadLetterHeaderNames.REASON])).toEqual([
        'invalid',
        'undecodable',
      ]);
      expect(dead[0].headers[DeadLetterHeaderNames.ERROR_MESSAGE]).toContain(
        'upcast[1] threw: no amount to convert',
      );
      expect(dead[1].headers[DeadLetterHeaderNames.ERROR_MESSAGE]).toContain(
        'its schema version (sw-envelope or sw-schema-version header) is "v2", not a version number',
      );
    });
  });
});
