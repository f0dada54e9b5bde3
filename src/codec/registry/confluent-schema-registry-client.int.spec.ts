import { EVOLUTION_CASES } from '../../../test/fixtures/schema-evolution';
import { kafkaBrokers } from '../../../test/support/kafka-env';
import { schemaRegistryUrl } from '../../../test/support/registry-env';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import { StreamwiseApp } from '../../app/streamwise-app';
import { EventHandler } from '../../decorators/event-handler';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import { SilentLogger } from '../../logging/silent-logger';
import type { AvroRecordSchema } from '../../model/topics/avro-schema';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import { defineTopic } from '../define-topic';
import { ConfluentSchemaRegistryClient } from './confluent-schema-registry-client';
import { InMemorySchemaRegistry } from './in-memory-schema-registry';
import type { SchemaRegistry } from './schema-registry';
import { decodeWireFormat } from './wire-format';

describe('ConfluentSchemaRegistryClient against a real registry', () => {
  const registry = new ConfluentSchemaRegistryClient({ url: schemaRegistryUrl() });

  describe('gives the same compatibility answers as InMemorySchemaRegistry', () => {
    it.each(EVOLUTION_CASES.map((c) => [c.name, c] as const))('%s', async (_name, evolution) => {
      const subject = `${uniqueName('evolution')}-value`;
      const memory = new InMemorySchemaRegistry();
      const answers: { compatible: boolean; messages: readonly string[] }[] = [];
      for (const target of [registry, memory] as SchemaRegistry[]) {
        await target.setCompatibility(subject, evolution.level);
        for (const old of evolution.history) await target.register(subject, old.schema, old.type);
        const { schema, type } = evolution.candidate;
        answers.push(await target.checkCompatibility(subject, schema, type));
      }
      const [real, inMemory] = answers;
      expect({ real: real.compatible, inMemory: inMemory.compatible }).toEqual({
        real: evolution.compatible,
        inMemory: evolution.compatible,
      });
      if (!evolution.compatible) {
        expect(real.messages.join('\n')).toContain(`field "${evolution.field}"`);
      }
    });
  });

  it('refuses to register an incompatible schema with SchemaIncompatibleError naming the field', async () => {
    const subject = `${uniqueName('refused')}-value`;
    const v1: AvroRecordSchema = {
      type: 'record',
      name: 'Payment',
      fields: [{ name: 'id', type: 'string' }],
    };
    const v2: AvroRecordSchema = {
      ...v1,
      fields: [...v1.fields, { name: 'amount', type: 'double' }],
    };
    await registry.setCompatibility(subject, 'BACKWARD');
    await registry.register(subject, v1, 'AVRO');
    const attempt = registry.register(subject, v2, 'AVRO');
    await expect(attempt).rejects.toBeInstanceOf(SchemaIncompatibleError);
    await expect(attempt).rejects.toThrow('field "amount"');
  });

  it('registers, finds the same id again, and looks schemas up by id with subject and version', async () => {
    const subject = `${uniqueName('lookup')}-value`;
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' }, run: { const: subject } },
    };
    const id = await registry.register(subject, schema, 'JSON');
    expect(await registry.register(subject, schema, 'JSON')).toBe(id);
    expect(await registry.latestVersion(subject)).toBe(1);
    expect(await registry.getSchema(id)).toEqual({ schema, type: 'JSON', subject, version: 1 });
    expect(await registry.latestVersion(`${subject}-nothing`)).toBeUndefined();
    await expect(registry.getSchema(2_000_000_000)).rejects.toMatchObject({
      status: 404,
      retriable: false,
    });
  });

  it('reports an unreachable registry as a retriable SchemaRegistryError', async () => {
    const nowhere = new ConfluentSchemaRegistryClient({ url: 'http://127.0.0.1:9' });
    const attempt = nowhere.latestVersion('x-value');
    await expect(attempt).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(attempt).rejects.toMatchObject({ retriable: true });
  });

  describe('with services on TestBed', () => {
    interface Payment {
      id: string;
      amount: number;
      note?: string | null;
    }
    const avroV1: AvroRecordSchema = {
      type: 'record',
      name: 'Payment',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'amount', type: 'double' },
      ],
    };

    function services(topicName: string, avro: AvroRecordSchema) {
      const Payments = defineTopic<Payment>({
        name: topicName,
        entity: 'Payment',
        key: (p) => p.id,
        avro,
      });
      // Unique service names: their consumer groups live on a broker other test runs share.
      @Service(uniqueName('payments-service'))
      @OwnsTopic(Payments)
      class PaymentsService extends StreamService {
        pay(payment: Payment) {
          return this.publish(Payments, payment);
        }
      }
      @Service(uniqueName('ledger-service'))
      class LedgerService extends StreamService {
        readonly seen: Payment[] = [];
        @EventHandler(Payments)
        record(payment: Payment): void {
          this.seen.push(payment);
        }
      }
      return { Payments, PaymentsService, LedgerService };
    }

    it('round-trips Avro values through the wire format with the id the registry gave', async () => {
      const { Payments, PaymentsService, LedgerService } = services(uniqueName('payments'), avroV1);
      const bed = await TestBed.start([PaymentsService, LedgerService], {
        schemaRegistry: registry,
      });
      try {
        await bed.service(PaymentsService).pay({ id: 'p-1', amount: 12.5 });
        await bed.drain();
        expect(bed.service(LedgerService).seen).toEqual([{ id: 'p-1', amount: 12.5 }]);
        const [raw] = bed.topic(Payments).raw();
        const { schemaId } = decodeWireFormat(raw.value as Buffer);
        // Ids are global: an equal schema registered earlier under another subject shares this one.
        expect(await registry.getSchema(schemaId)).toMatchObject({ type: 'AVRO', schema: avroV1 });
        expect(await registry.latestVersion(`${Payments.name}-value`)).toBe(1);
      } finally {
        await bed.stop();
      }
    });

    it('carries the wire format through a real Kafka broker, configured by URL', async () => {
      const { Payments, PaymentsService, LedgerService } = services(uniqueName('payments'), avroV1);
      const app = StreamwiseApp.create({
        services: [PaymentsService, LedgerService],
        transport: new KafkaTransport({
          brokers: kafkaBrokers(),
          clientId: 'registry-int',
          kafkaLogLevel: 'nothing',
        }),
        logger: new SilentLogger(),
        schemaRegistry: { url: schemaRegistryUrl() },
      });
      await app.start();
      try {
        await app.service(PaymentsService).pay({ id: 'p-1', amount: 4 });
        const ledger = app.service(LedgerService);
        await waitFor(() => ledger.seen.length > 0, 'the ledger to see the payment');
        expect(ledger.seen).toEqual([{ id: 'p-1', amount: 4 }]);
        expect(await registry.latestVersion(`${Payments.name}-value`)).toBe(1);
      } finally {
        await app.stop();
      }
    }, 60_000);

    it('fails start-up when the topic schema is incompatible, naming the topic and the field', async () => {
      const name = uniqueName('payments');
      const first = services(name, avroV1);
      const bed = await TestBed.start([first.PaymentsService], { schemaRegistry: registry });
      await bed.stop();
      const withRequired: AvroRecordSchema = {
        ...avroV1,
        fields: [...avroV1.fields, { name: 'currency', type: 'string' }],
      };
      const second = services(name, withRequired);
      const attempt = TestBed.start([second.PaymentsService], { schemaRegistry: registry });
      await expect(attempt).rejects.toBeInstanceOf(SchemaIncompatibleError);
      await expect(attempt).rejects.toThrow(`topic "${name}"`);
      await expect(attempt).rejects.toThrow('field "currency"');
    });
  });
});
