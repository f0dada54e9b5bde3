import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import { SchemaValidationError } from '../../errors/schema-validation-error';
import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import { DeadLetterHeaderNames, HeaderNames } from '../../model/topics/header-names';
import type { JsonSchema } from '../../model/topics/topic-definition';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { defineTopic } from '../define-topic';
import { InMemorySchemaRegistry } from '../registry/in-memory-schema-registry';
import { decodeWireFormat, encodeWireFormat } from '../registry/wire-format';
import { avroTypeOf } from './avro-validator';

interface Order {
  id: string;
  customer: { id: number };
  amount: number;
}

const OrderSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customer: {
      type: 'object',
      properties: { id: { type: 'number' } },
      required: ['id'],
      additionalProperties: false,
    },
    amount: { type: 'number' },
  },
  required: ['id', 'customer', 'amount'],
  additionalProperties: false,
};

const Orders = defineTopic<Order>({
  name: 'checked-orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 2,
  schema: OrderSchema,
});

@Service('orders-service')
@OwnsTopic(Orders)
class OrdersService extends StreamService {
  place(order: Order) {
    return this.publish(Orders, order);
  }
}

@Service('billing-service')
class BillingService extends StreamService {
  readonly seen: Order[] = [];
  @EventHandler(Orders)
  bill(order: Order): void {
    this.seen.push(order);
  }
}

const order: Order = { id: 'o-1', customer: { id: 7 }, amount: 10 };
const broken = { id: 'o-2', customer: { id: '7' }, amount: 'ten' } as unknown as Order;
const brokenPaths = ['/customer/id must be number', '/amount must be number'];

describe('schemas on TestBed (principle 9)', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  describe('with the default in-memory registry', () => {
    it('registers owned topics at start-up and writes the wire format with that id', async () => {
      const registry = new InMemorySchemaRegistry();
      bed = await TestBed.start([OrdersService, BillingService], { schemaRegistry: registry });
      expect(registry.subjects()).toEqual(['checked-orders-value']);
      const id = await registry.register('checked-orders-value', OrderSchema, 'JSON');

      await bed.service(OrdersService).place(order);
      await bed.drain();

      const [raw] = bed.topic(Orders).raw();
      expect(decodeWireFormat(raw.value as Buffer)).toEqual({
        schemaId: id,
        payload: Buffer.from(JSON.stringify(order)),
      });
      expect(bed.service(BillingService).seen).toEqual([order]);
      expect(bed.topic(Orders).values()).toEqual([order]);
    });

    it('refuses an invalid publish with every failing path, and sends nothing', async () => {
      bed = await TestBed.start([OrdersService, BillingService]);
      const attempt = bed.service(OrdersService).place(broken);
      await expect(attempt).rejects.toBeInstanceOf(SchemaValidationError);
      await expect(attempt).rejects.toMatchObject({
        topic: 'checked-orders',
        problems: brokenPaths,
      });
      await expect(attempt).rejects.toThrow(
        'Value for "checked-orders" does not match its schema (version 1): /customer/id must be number; /amount must be number. Nothing was sent.',
      );
      await expect(bed.send(Orders, broken)).rejects.toBeInstanceOf(SchemaValidationError);
      await bed.drain();
      expect(bed.topic(Orders).count).toBe(0);
      expect(bed.service(BillingService).seen).toEqual([]);
    });

    it('dead-letters a consumed record that fails its schema at once, with the failing paths in a header', async () => {
      const registry = new InMemorySchemaRegistry();
      bed = await TestBed.start([OrdersService, BillingService], { schemaRegistry: registry });
      const id = await registry.register('checked-orders-value', OrderSchema, 'JSON');
      // A producer that skipped validation: right wire format, wrong data.
      await bed.sendRaw(Orders, {
        key: 'o-2',
        value: encodeWireFormat(id, Buffer.from(JSON.stringify(broken))),
        headers: { [HeaderNames.PRODUCER]: 'orders-service', [HeaderNames.SCHEMA_VERSION]: '1' },
      });
      await bed.service(OrdersService).place(order);
      await bed.drain();

      expect(bed.service(BillingService).seen).toEqual([order]);
      const [dead] = bed.deadLetters(Orders).records();
      expect(bed.deadLetters(Orders).count).toBe(1);
      expect(dead.value).toEqual(broken);
      expect(dead.headers).toMatchObject({
        [DeadLetterHeaderNames.REASON]: 'invalid',
        [DeadLetterHeaderNames.ERROR_CODE]: 'SW_SCHEMA_VALIDATION',
        [DeadLetterHeaderNames.ERROR_NAME]: 'SchemaValidationError',
        [DeadLetterHeaderNames.ATTEMPTS]: '0',
      });
      expect(JSON.parse(dead.headers[DeadLetterHeaderNames.VALIDATION])).toEqual(brokenPaths);
      expect(dead.headers[DeadLetterHeaderNames.ERROR_MESSAGE]).toContain(
        '/customer/id must be number; /amount must be number',
      );
    });

    it('dead-letters as undecodable a record without the magic byte, or with an unknown schema id', async () => {
      bed = await TestBed.start([OrdersService, BillingService]);
      await bed.sendRaw(Orders, { key: 'plain', value: JSON.stringify(order) });
      await bed.sendRaw(Orders, { key: 'lost', value: encodeWireFormat(999, Buffer.from('{}')) });
      await bed.drain();
      const dead = bed.deadLetters(Orders).records();
      expect(dead.map((d) => d.headers[DeadLetterHeaderNames.REASON])).toEqual([
        'undecodable',
        'undecodable',
      ]);
      const messages = dead.map((d) => d.headers[DeadLetterHeaderNames.ERROR_MESSAGE]);
      expect(messages.find((m) => m.includes("not the wire format's magic byte 0"))).toBeDefined();
      expect(messages.find((m) => m.includes('schema id 999'))).toBeDefined();
      expect(bed.service(BillingService).seen).toEqual([]);
    });

    it('fails start-up on an incompatible change, naming the topic and the field', async () => {
      const registry = new InMemorySchemaRegistry();
      // What an earlier deploy registered: the same topic with a required `amount`.
      await registry.register('checked-orders-value', OrderSchema, 'JSON');
      const withoutAmount = { ...(OrderSchema.properties as Record<string, unknown>) };
      delete withoutAmount.amount;
      const Slimmer = defineTopic<Order>({
        name: 'checked-orders',
        entity: 'Order',
        key: (o) => o.id,
        partitions: 2,
        schema: { ...OrderSchema, properties: withoutAmount, required: ['id', 'customer'] },
      });
      @Service('slim-orders-service')
      @OwnsTopic(Slimmer)
      class SlimOrdersService extends StreamService {}

      const attempt = TestBed.start([SlimOrdersService], { schemaRegistry: registry });
      await expect(attempt).rejects.toBeInstanceOf(SchemaIncompatibleError);
      await expect(attempt).rejects.toThrow(
        'The schema of topic "checked-orders" (subject "checked-orders-value") is not BACKWARD compatible',
      );
      await expect(attempt).rejects.toThrow('field "amount"');
      expect(await registry.latestVersion('checked-orders-value')).toBe(1);
    });

    it("sets the subject's level from the topic, so compatibility: 'NONE' lets the same change through", async () => {
      const registry = new InMemorySchemaRegistry();
      await registry.register('loose-orders-value', OrderSchema, 'JSON');
      const Loose = defineTopic<Order>({
        name: 'loose-orders',
        entity: 'Order',
        key: (o) => o.id,
        schema: { ...OrderSchema, properties: { id: { type: 'string' } }, required: ['id'] },
        compatibility: 'NONE',
      });
      @Service('loose-orders-service')
      @OwnsTopic(Loose)
      class LooseOrdersService extends StreamService {}
      bed = await TestBed.start([LooseOrdersService], { schemaRegistry: registry });
      expect(await registry.latestVersion('loose-orders-value')).toBe(2);
    });
  });

  describe("without a registry (schemaRegistry: 'none')", () => {
    it('writes plain JSON, and still validates on publish and on consume', async () => {
      bed = await TestBed.start([OrdersService, BillingService], { schemaRegistry: 'none' });
      await bed.service(OrdersService).place(order);
      await expect(bed.service(OrdersService).place(broken)).rejects.toBeInstanceOf(
        SchemaValidationError,
      );
      await bed.sendRaw(Orders, {
        key: 'o-2',
        value: JSON.stringify(broken),
        headers: { [HeaderNames.PRODUCER]: 'orders-service' },
      });
      await bed.drain();

      expect(bed.topic(Orders).raw()[0].value?.toString()).toBe(JSON.stringify(order));
      expect(bed.service(BillingService).seen).toEqual([order]);
      const [dead] = bed.deadLetters(Orders).records();
      expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('invalid');
      expect(JSON.parse(dead.headers[DeadLetterHeaderNames.VALIDATION])).toEqual(brokenPaths);
    });
  });

  describe('Avro topics', () => {
    interface Payment {
      id: string;
      amount: number;
      note?: string | null;
    }
    const PaymentAvro: AvroRecordSchema = {
      type: 'record',
      name: 'Payment',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    };
    const Payments = defineTopic<Payment>({
      name: 'avro-payments',
      entity: 'Payment',
      key: (p) => p.id,
      avro: PaymentAvro,
    });
    @Service('payments-service')
    @OwnsTopic(Payments)
    class PaymentsService extends StreamService {
      pay(payment: Payment) {
        return this.publish(Payments, payment);
      }
    }
    @Service('ledger-service')
    class LedgerService extends StreamService {
      readonly seen: Payment[] = [];
      @EventHandler(Payments)
      record(payment: Payment): void {
        this.seen.push(payment);
      }
    }

    it('writes Avro binary after the wire-format header and hands handlers plain objects', async () => {
      bed = await TestBed.start([PaymentsService, LedgerService]);
      await bed.service(PaymentsService).pay({ id: 'p-1', amount: 2.5 });
      await bed.drain();
      const { payload } = decodeWireFormat(bed.topic(Payments).raw()[0].value as Buffer);
      expect(payload).toEqual(avroTypeOf(PaymentAvro).toBuffer({ id: 'p-1', amount: 2.5 }));
      expect(bed.service(LedgerService).seen).toEqual([{ id: 'p-1', amount: 2.5, note: null }]);
    });

    it('validates against the Avro schema on publish', async () => {
      bed = await TestBed.start([PaymentsService, LedgerService]);
      const attempt = bed
        .service(PaymentsService)
        .pay({ id: 'p-1', amount: '2.5', note: 3 } as unknown as Payment);
      await expect(attempt).rejects.toMatchObject({
        problems: ['/amount must be double', '/note must be one of null, string'],
      });
      expect(bed.topic(Payments).count).toBe(0);
    });
  });
});
