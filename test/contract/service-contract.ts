import { StreamwiseApp } from '../../src/app/streamwise-app';
import { defineTopic } from '../../src/codec/define-topic';
import { buildEnvelope } from '../../src/codec/envelope';
import { EventHandler } from '../../src/decorators/event-handler';
import { OwnsTopic } from '../../src/decorators/owns-topic';
import { Service } from '../../src/decorators/service';
import { SilentLogger } from '../../src/logging/silent-logger';
import type { EventContext } from '../../src/model/service/event-context';
import { readEnvelope } from '../../src/model/topics/envelope-header';
import { DeadLetterHeaderNames, deadLetterTopicName } from '../../src/model/topics/header-names';
import { StreamService } from '../../src/runtime/stream-service';
import type { Transport } from '../../src/transport/transport';
import { RecordCollector } from '../support/record-collector';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { ContractHarness } from './contract-harness';

interface Item {
  id: string;
  label: string;
}

/** Services on either transport: retries, dead letters and the producer check behave the same. */
export function serviceContract(harness: ContractHarness): void {
  describe(`service contract: ${harness.name}`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });

    async function setUp() {
      const Items = defineTopic<Item>({
        name: uniqueName('items'),
        entity: 'Item',
        key: (i) => i.id,
        partitions: 2,
        schema: {
          type: 'object',
          required: ['id', 'label'],
          properties: { id: { type: 'string' }, label: { type: 'string' } },
          additionalProperties: false,
        },
      });
      const handled: string[] = [];

      @Service('item-writer')
      @OwnsTopic(Items)
      class ItemWriter extends StreamService {
        write(item: Item) {
          return this.publish(Items, item);
        }
      }

      @Service(uniqueName('item-reader').toLowerCase(), {
        retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
      })
      class ItemReader extends StreamService {
        @EventHandler(Items)
        handle(item: Item, ctx: EventContext): void {
          handled.push(`${item.label}#${ctx.attempt}`);
          if (item.label === 'poison') throw new Error(`cannot handle ${item.id}`);
        }
      }

      const app = StreamwiseApp.create({
        services: [ItemWriter, ItemReader],
        transport: harness.createTransport(),
        clock: harness.clock,
        logger: new SilentLogger(),
      });
      await app.start();
      cleanup.push(() => app.stop());
      const raw: Transport = harness.createTransport();
      await raw.connect();
      cleanup.push(() => raw.disconnect());
      const deadLetters = new RecordCollector();
      const dlqSub = await raw.subscribe({
        groupId: uniqueName('dlq-reader'),
        topics: [deadLetterTopicName(Items.name)],
        offsetReset: 'earliest',
        handle: deadLetters.handle,
      });
      cleanup.push(() => dlqSub.stop());
      return { Items, app, writer: app.service(ItemWriter), handled, raw, deadLetters };
    }

    it('retries a failing handler, then dead-letters the record with the error in headers and moves on', async () => {
      const { Items, writer, handled, deadLetters } = await setUp();
      await writer.write({ id: 'same-key', label: 'ok-1' });
      await writer.write({ id: 'same-key', label: 'poison' });
      await writer.write({ id: 'same-key', label: 'ok-2' });
      await waitFor(() => handled.includes('ok-2#1'), 'the record after the poison one');
      expect(handled).toEqual(['ok-1#1', 'poison#1', 'poison#2', 'poison#3', 'ok-2#1']);
      const [dead] = await deadLetters.waitForCount(1);
      expect(JSON.parse(dead.value?.toString() ?? '')).toEqual({ id: 'same-key', label: 'poison' });
      expect(dead.key?.toString()).toBe('same-key');
      expect(dead.headers).toMatchObject({
        [DeadLetterHeaderNames.REASON]: 'handler-failed',
        [DeadLetterHeaderNames.ERROR_MESSAGE]: 'cannot handle same-key',
        [DeadLetterHeaderNames.ERROR_NAME]: 'Error',
        [DeadLetterHeaderNames.SOURCE_TOPIC]: Items.name,
        [DeadLetterHeaderNames.SOURCE_OFFSET]: '1',
        [DeadLetterHeaderNames.ATTEMPTS]: '3',
        [DeadLetterHeaderNames.HANDLER]: 'handle',
      });
      // The dead letter keeps the record's own envelope: who wrote it, which event it was.
      expect(readEnvelope(dead.headers)?.producer).toBe('item-writer');
    });

    it('sends undecodable bytes to the dead-letter topic at once, without calling the handler', async () => {
      const { Items, raw, handled, deadLetters, writer } = await setUp();
      const { record } = buildEnvelope(
        Items,
        { id: 'k', label: 'x' },
        { producer: 'item-writer', timestamp: Date.now() },
      );
      await raw.produce(Items.name, [{ ...record, value: Buffer.from('{not json') }]);
      await writer.write({ id: 'k', label: 'after' });
      await waitFor(() => handled.includes('after#1'), 'the record after the broken one');
      const [dead] = await deadLetters.waitForCount(1);
      expect(dead.value?.toString()).toBe('{not json');
      expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('undecodable');
      expect(dead.headers[DeadLetterHeaderNames.ERROR_NAME]).toBe('DeserializationError');
      expect(dead.headers[DeadLetterHeaderNames.ATTEMPTS]).toBe('0');
      expect(handled).toEqual(['after#1']);
    });

    it('dead-letters a record that fails the topic schema at once, with the failing paths', async () => {
      const { Items, raw, handled, deadLetters, writer } = await setUp();
      const { record } = buildEnvelope(
        Items,
        { id: 'k', label: 'x' },
        { producer: 'item-writer', timestamp: Date.now() },
      );
      await raw.produce(Items.name, [{ ...record, value: Buffer.from('{"id":"k","label":42}') }]);
      await writer.write({ id: 'k', label: 'valid' });
      await waitFor(() => handled.includes('valid#1'), 'the valid record');
      const [dead] = await deadLetters.waitForCount(1);
      expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('invalid');
      expect(dead.headers[DeadLetterHeaderNames.ERROR_NAME]).toBe('SchemaValidationError');
      expect(JSON.parse(dead.headers[DeadLetterHeaderNames.VALIDATION] ?? '[]')).toEqual([
        '/label must be string',
      ]);
      expect(handled).toEqual(['valid#1']);
    });

    it('dead-letters a record whose producer header names a service other than the owner', async () => {
      const { Items, raw, handled, deadLetters, writer } = await setUp();
      const { record } = buildEnvelope(
        Items,
        { id: 'k', label: 'forged' },
        { producer: 'rogue-service', timestamp: Date.now() },
      );
      await raw.produce(Items.name, [record]);
      await writer.write({ id: 'k', label: 'genuine' });
      await waitFor(() => handled.includes('genuine#1'), 'the genuine record');
      const [dead] = await deadLetters.waitForCount(1);
      expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('foreign-producer');
      expect(dead.headers[DeadLetterHeaderNames.ERROR_MESSAGE]).toContain('rogue-service');
      expect(handled).toEqual(['genuine#1']);
    });
  });
}
