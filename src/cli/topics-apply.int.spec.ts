import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { brokerCli } from '../../test/support/broker-cli';
import { kafkaBrokers } from '../../test/support/kafka-env';
import { uniqueName } from '../../test/support/unique-name';
import { DEAD_LETTER_HEADROOM_BYTES } from '../model/topic-plan';
import { KafkaTopicAdmin } from '../transport/kafka/kafka-topic-admin';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { maxMessageBytes } from '../transport/record-batch-size';

/** A services module as a user writes one: an owner of two topics and a reader of one. */
function servicesModule(orders: string, prices: string): string {
  const index = resolve(__dirname, '../index').replace(/\\/g, '/');
  return `
import { defineTopic, EventHandler, OwnsTopic, Service, StreamService } from '${index}';

export const Orders = defineTopic<{ id: string }>({
  name: '${orders}', entity: 'Order', key: (o) => o.id, partitions: 2,
  config: { 'retention.ms': '3600000' },
});
export const Prices = defineTopic<{ sku: string }>({
  name: '${prices}', entity: 'Price', key: (p) => p.sku, partitions: 1, compacted: true,
});

@Service('apply-orders')
@OwnsTopic(Orders)
@OwnsTopic(Prices)
export class OrdersService extends StreamService {}

@Service('apply-billing')
export class BillingService extends StreamService {
  @EventHandler(Orders)
  async bill(): Promise<void> {}
}
`;
}

describe('streamwise topics apply on Kafka', () => {
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'apply-int-setup' });
  const orders = uniqueName('apply-orders');
  const prices = uniqueName('apply-prices');
  const dlq = `${orders}.dlq`;
  const dir = mkdtempSync(join(tmpdir(), 'sw-apply-'));
  const module = join(dir, 'services.ts');
  const { output, run } = brokerCli();
  let admin: KafkaTopicAdmin | undefined;
  const state = async () =>
    await admin!.describe([orders, prices, dlq], ['cleanup.policy', 'retention.ms', 'segment.ms']);

  beforeAll(async () => {
    writeFileSync(module, servicesModule(orders, prices));
    await transport.connect();
    admin = await KafkaTopicAdmin.open({ brokers: kafkaBrokers(), clientId: 'apply-int-check' });
    // As an older deployment left them: orders with one partition and a config of its own, prices
    // not compacted; the dead-letter topic missing.
    await transport.createTopics([
      { name: orders, partitions: 1, compacted: false, config: { 'segment.ms': '7200000' } },
      { name: prices, partitions: 1, compacted: false },
    ]);
  });
  afterAll(async () => {
    await transport.deleteTopics([orders, prices, dlq]);
    await transport.disconnect();
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('previews the changes without making them, then makes them with --execute', async () => {
    expect(await run('topics', 'apply', module, '--json')).toBe(0);
    const preview = JSON.parse(output.out.join('\n')) as { executed: boolean; topics: unknown[] };
    expect(preview.executed).toBe(false);
    expect(preview.topics).toEqual([
      {
        topic: prices,
        action: 'alter',
        partitions: { from: 1, to: 1 },
        configs: [{ name: 'cleanup.policy', from: 'delete', to: 'compact' }],
      },
      {
        topic: orders,
        action: 'alter',
        partitions: { from: 1, to: 2 },
        configs: [{ name: 'retention.ms', from: '604800000', to: '3600000' }],
      },
      {
        topic: dlq,
        action: 'create',
        partitions: { from: null, to: 2 },
        configs: [
          { name: 'cleanup.policy', from: null, to: 'delete' },
          {
            name: 'max.message.bytes',
            from: null,
            to: String(maxMessageBytes({}) + DEAD_LETTER_HEADROOM_BYTES),
          },
        ],
      },
    ]);
    const before = await state();
    expect(before.has(dlq)).toBe(false);
    expect(before.get(orders)?.partitions).toBe(1);

    expect(await run('topics', 'apply', module, '--execute')).toBe(0);
    expect(output.out.at(-1)).toBe('Applied 3 change(s).');
    const after = await state();
    expect(after.get(orders)).toEqual({
      name: orders,
      partitions: 2,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '3600000', 'segment.ms': '7200000' },
    });
    expect(after.get(prices)?.configs['cleanup.policy']).toBe('compact');
    expect(after.get(dlq)?.partitions).toBe(2);

    expect(await run('topics', 'apply', module)).toBe(0);
    expect(output.out.at(-1)).toBe('The broker matches the plan: nothing to change.');
    expect(output.out.filter((line) => line.includes(' unchanged '))).toHaveLength(3);
  });

  it('refuses to shrink a topic and then changes nothing', async () => {
    const wide = uniqueName('apply-wide');
    const other = join(dir, 'shrink.ts');
    writeFileSync(other, servicesModule(wide, uniqueName('apply-missing')));
    await transport.createTopics([{ name: wide, partitions: 4, compacted: false }]);
    try {
      expect(await run('topics', 'apply', other, '--execute')).toBe(1);
      expect(output.err.join('\n')).toContain(
        `Topic "${wide}" on the broker does not match its definition: it has 4 partitions and the plan says 2`,
      );
      expect(output.out).toContain(
        'Nothing changed: a change Kafka cannot make was refused (below).',
      );
      expect(await transport.listTopics()).not.toContain(`${wide}.dlq`);
    } finally {
      await transport.deleteTopics([wide]);
    }
  });
});
